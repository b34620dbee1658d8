// @ts-nocheck: compiled by Ajv at generation time; typed through runtime/validation.ts
// The modules Ajv's code requires, each as its package wrote it (CommonJS), loaded once in this order.
const modules = {
"ajv/dist/runtime/ucs2length"(module, exports, require) {
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// https://mathiasbynens.be/notes/javascript-encoding
// https://github.com/bestiejs/punycode.js - punycode.ucs2.decode
function ucs2length(str) {
    const len = str.length;
    let length = 0;
    let pos = 0;
    let value;
    while (pos < len) {
        length++;
        value = str.charCodeAt(pos++);
        if (value >= 0xd800 && value <= 0xdbff && pos < len) {
            // high surrogate, and there is a next character
            value = str.charCodeAt(pos);
            if ((value & 0xfc00) === 0xdc00)
                pos++; // low surrogate
        }
    }
    return length;
}
exports.default = ucs2length;
ucs2length.code = 'require("ajv/dist/runtime/ucs2length").default';
},
"codegen:formats"(module, exports, require) {
"use strict";
function fmtDef(validate, compare) {
    return { validate, compare };
}
function isLeapYear(year) {
    // https://tools.ietf.org/html/rfc3339#appendix-C
    return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}
const DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function date(str) {
    // full-date from http://tools.ietf.org/html/rfc3339#section-5.6
    const matches = DATE.exec(str);
    if (!matches)
        return false;
    const year = +matches[1];
    const month = +matches[2];
    const day = +matches[3];
    return (month >= 1 &&
        month <= 12 &&
        day >= 1 &&
        day <= (month === 2 && isLeapYear(year) ? 29 : DAYS[month]));
}
const TIME = /^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$/i;
function getTime(strictTimeZone) {
    return function time(str) {
        const matches = TIME.exec(str);
        if (!matches)
            return false;
        const hr = +matches[1];
        const min = +matches[2];
        const sec = +matches[3];
        const tz = matches[4];
        const tzSign = matches[5] === "-" ? -1 : 1;
        const tzH = +(matches[6] || 0);
        const tzM = +(matches[7] || 0);
        if (tzH > 23 || tzM > 59 || (strictTimeZone && !tz))
            return false;
        if (hr <= 23 && min <= 59 && sec < 60)
            return true;
        // leap second
        const utcMin = min - tzM * tzSign;
        const utcHr = hr - tzH * tzSign - (utcMin < 0 ? 1 : 0);
        return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && sec < 61;
    };
}
const DATE_TIME_SEPARATOR = /t|\s/i;
function getDateTime(strictTimeZone) {
    const time = getTime(strictTimeZone);
    return function date_time(str) {
        // http://tools.ietf.org/html/rfc3339#section-5.6
        const dateTime = str.split(DATE_TIME_SEPARATOR);
        return dateTime.length === 2 && date(dateTime[0]) && time(dateTime[1]);
    };
}
function compareDateTime(dt1, dt2) {
    if (!(dt1 && dt2))
        return undefined;
    const d1 = new Date(dt1).valueOf();
    const d2 = new Date(dt2).valueOf();
    if (!(d1 && d2))
        return undefined;
    return d1 - d2;
}
exports["date-time"] = fmtDef(getDateTime(true), compareDateTime);
},
"part:0"(module, exports, require) {
"use strict";exports.validateUserSessionBegin = validate22;const func2 = require("ajv/dist/runtime/ucs2length").default;const formats0 = require("codegen:formats")["date-time"];const formats2 = /^(?:[a-z][a-z0-9+\-.]*:)?(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'"()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?(?:\?(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;function validate23(data, {instancePath=""}={}){if(data && typeof data == "object" && !Array.isArray(data)){let missing0;if(((((data.id === undefined) && (missing0 = "id")) || ((data.source === undefined) && (missing0 = "source"))) || ((data.specversion === undefined) && (missing0 = "specversion"))) || ((data.type === undefined) && (missing0 = "type"))){return failAt(validate23,instancePath,"#/required",missing0);}else {if(data.id !== undefined){let data0 = data.id;if(typeof data0 === "string"){if(func2(data0) < 1){return failIn(validate23,instancePath,"id","minLength",1);}}else {return failIn(validate23,instancePath,"id","type","string");}}if(data.time !== undefined){let data1 = data.time;if(typeof data1 === "string"){if(func2(data1) < 1){return failIn(validate23,instancePath,"time","minLength",1);}else {if(!(formats0.validate(data1))){return failIn(validate23,instancePath,"time","format","date-time");}}}else {return failIn(validate23,instancePath,"time","type","string");}}if(data.type !== undefined){let data2 = data.type;if(typeof data2 === "string"){if(func2(data2) < 1){return failIn(validate23,instancePath,"type","minLength",1);}}else {return failIn(validate23,instancePath,"type","type","string");}}if(data.source !== undefined){let data3 = data.source;if(typeof data3 === "string"){if(func2(data3) < 1){return failIn(validate23,instancePath,"source","minLength",1);}else {if(!(formats2.test(data3))){return failIn(validate23,instancePath,"source","format","uri-reference");}}}else {return failIn(validate23,instancePath,"source","type","string");}}if(data.specversion !== undefined){let data4 = data.specversion;if(typeof data4 === "string"){if(func2(data4) < 1){return failIn(validate23,instancePath,"specversion","minLength",1);}}else {return failIn(validate23,instancePath,"specversion","type","string");}}if(data.datacontenttype !== undefined){let data5 = data.datacontenttype;if(typeof data5 === "string"){if(func2(data5) < 1){return failIn(validate23,instancePath,"datacontenttype","minLength",1);}}else {return failIn(validate23,instancePath,"datacontenttype","type","string");}}}}else {return failAt(validate23,instancePath,"#/type","object");}validate23.errors = null;return true;}function validate25(data, {instancePath=""}={}){if(data && typeof data == "object" && !Array.isArray(data)){let missing0;if((data.tenantid === undefined) && (missing0 = "tenantid")){return failAt(validate25,instancePath,"#/required",missing0);}else {if(data.userid !== undefined){if(typeof data.userid !== "string"){return failIn(validate25,instancePath,"userid","type","string");}}if(data.authtype !== undefined){if(typeof data.authtype !== "string"){return failIn(validate25,instancePath,"authtype","type","string");}}if(data.originip !== undefined){if(typeof data.originip !== "string"){return failIn(validate25,instancePath,"originip","type","string");}}if(data.tenantid !== undefined){if(typeof data.tenantid !== "string"){return failIn(validate25,instancePath,"tenantid","type","string");}}if(data.sessionid !== undefined){if(typeof data.sessionid !== "string"){return failIn(validate25,instancePath,"sessionid","type","string");}}if(data.authclaims !== undefined){if(typeof data.authclaims !== "string"){return failIn(validate25,instancePath,"authclaims","type","string");}}}}else {return failAt(validate25,instancePath,"#/type","object");}validate25.errors = null;return true;}const schema11 = {"enum":["com.qlik/edge-auth"],"type":"string"};function validate28(data, {instancePath=""}={}){if(typeof data !== "string"){return failAt(validate28,instancePath,"#/type","string");}if(!(data === "com.qlik/edge-auth")){return failAt(validate28,instancePath,"#/enum",schema11.enum);}validate28.errors = null;return true;}const schema12 = {"enum":["anonymous"],"type":"string"};function validate30(data, {instancePath=""}={}){if(typeof data !== "string"){return failAt(validate30,instancePath,"#/type","string");}if(!(data === "anonymous")){return failAt(validate30,instancePath,"#/enum",schema12.enum);}validate30.errors = null;return true;}function validate27(data, {instancePath=""}={}){if(data && typeof data == "object" && !Array.isArray(data)){if(data.idpId !== undefined){if(typeof data.idpId !== "string"){return failIn(validate27,instancePath,"idpId","type","string");}}if(data.source !== undefined){if(!(validate28(data.source, {instancePath:instancePath+"/source"}))){return failFrom(validate27,validate28);}}if(data.subject !== undefined){if(typeof data.subject !== "string"){return failIn(validate27,instancePath,"subject","type","string");}}if(data.recovery !== undefined){if(typeof data.recovery !== "boolean"){return failIn(validate27,instancePath,"recovery","type","boolean");}}if(data.userType !== undefined){if(!(validate30(data.userType, {instancePath:instancePath+"/userType"}))){return failFrom(validate27,validate30);}}}else {return failAt(validate27,instancePath,"#/type","object");}validate27.errors = null;return true;}function validate22(data, {instancePath=""}={}){if(!(data && typeof data == "object" && !Array.isArray(data))){return failAt(validate22,instancePath,"#/type","object");}if(!(validate23(data, {instancePath}))){return failFrom(validate22,validate23);}if(!(validate25(data, {instancePath}))){return failFrom(validate22,validate25);}if(data && typeof data == "object" && !Array.isArray(data)){let missing0;if(((data.type === undefined) && (missing0 = "type")) || ((data.data === undefined) && (missing0 = "data"))){return failAt(validate22,instancePath,"#/allOf/2/required",missing0);}else {if(data.data !== undefined){if(!(validate27(data.data, {instancePath:instancePath+"/data"}))){return failFrom(validate22,validate27);}}if(data.type !== undefined){if(typeof data.type !== "string"){return failAt(validate22,instancePath+"/type","#/allOf/2/properties/type/type","string");}}}}else {return failAt(validate22,instancePath,"#/allOf/2/type","object");}validate22.errors = null;return true;}exports.validateUserSessionEnd = validate33;function validate36(data, {instancePath=""}={}){if(data && typeof data == "object" && !Array.isArray(data)){if(data.subject !== undefined){if(typeof data.subject !== "string"){return failIn(validate36,instancePath,"subject","type","string");}}}else {return failAt(validate36,instancePath,"#/type","object");}validate36.errors = null;return true;}function validate33(data, {instancePath=""}={}){if(!(data && typeof data == "object" && !Array.isArray(data))){return failAt(validate33,instancePath,"#/type","object");}if(!(validate23(data, {instancePath}))){return failFrom(validate33,validate23);}if(!(validate25(data, {instancePath}))){return failFrom(validate33,validate25);}if(data && typeof data == "object" && !Array.isArray(data)){let missing0;if(((data.type === undefined) && (missing0 = "type")) || ((data.data === undefined) && (missing0 = "data"))){return failAt(validate33,instancePath,"#/allOf/2/required",missing0);}else {if(data.data !== undefined){if(!(validate36(data.data, {instancePath:instancePath+"/data"}))){return failFrom(validate33,validate36);}}if(data.type !== undefined){if(typeof data.type !== "string"){return failAt(validate33,instancePath+"/type","#/allOf/2/properties/type/type","string");}}}}else {return failAt(validate33,instancePath,"#/allOf/2/type","object");}validate33.errors = null;return true;}
}
};
const loaded = new Map();
function require(id) {
  let module = loaded.get(id);
  if (!module) {
    module = { exports: {} };
    loaded.set(id, module);
    modules[id](module, module.exports, require);
  }
  return module.exports;
}
// Ajv's errors by keyword: the names of its params and its message over their values (checked against every site when linked).
const keywordErrors = {
  "enum": [["allowedValues"], () => "must be equal to one of the allowed values"],
  "format": [["format"], (format) => "must match format \"" + format + "\""],
  "minLength": [["limit"], (limit) => "must NOT have fewer than " + limit + " characters"],
  "required": [["missingProperty"], (property) => "must have required property '" + property + "'"],
  "type": [["type"], (type) => "must be " + type],
};
// The error object Ajv builds, with its keys in Ajv's order.
function error(instancePath, schemaPath, keyword, ...values) {
  const [names, message] = keywordErrors[keyword];
  const params = {};
  for (let i = 0; i < names.length; i++) params[names[i]] = values[i];
  return { instancePath, schemaPath, keyword, params, message: message(...values) };
}
// Ajv's `validate.errors = [error]; return false;` when it stops at an error.
function fail(validate, ...site) {
  validate.errors = [error(...site)];
  return false;
}
// `fail` where the keyword is the schema path's last segment.
function failAt(validate, instancePath, schemaPath, ...values) {
  return fail(validate, instancePath, schemaPath, schemaPath.slice(schemaPath.lastIndexOf("/") + 1), ...values);
}
// `fail` at a property of the object: its instance path and its schema path under `properties`.
function failIn(validate, instancePath, property, keyword, ...values) {
  return fail(validate, instancePath + "/" + property, "#/properties/" + property + "/" + keyword, keyword, ...values);
}
// A `$ref`'s first error as the caller's: `validate.errors = callee.errors; return false;`.
function failFrom(validate, callee) {
  validate.errors = callee.errors;
  return false;
}
function guarded(validate) {
  const check = (data) => {
    try {
      const ok = validate(data);
      check.errors = validate.errors;
      return ok;
    } catch (error) {
      const reason = error instanceof Error ? error.name + ': ' + error.message : typeof error === 'string' ? error : 'a non-Error value';
      const short = reason.length > 120 ? reason.slice(0, 119) + '…' : reason;
      check.errors = [{ instancePath: '', schemaPath: '#', keyword: 'validator', params: {}, message: 'could not be checked: the validator failed (' + short + ')' }];
      return false;
    }
  };
  check.errors = null;
  return check;
}
const part0 = require("part:0");
export const validateUserSessionBegin = guarded(part0.validateUserSessionBegin);
export const validateUserSessionEnd = guarded(part0.validateUserSessionEnd);
