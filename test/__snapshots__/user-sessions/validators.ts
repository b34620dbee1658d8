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
"use strict";exports.validateUserSessionBegin = validate22;const func0 = Object.prototype.hasOwnProperty;const func50 = require("ajv/dist/runtime/ucs2length").default;const formats0 = require("codegen:formats")["date-time"];const formats2 = /^(?:[a-z][a-z0-9+\-.]*:)?(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'"()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?(?:\?(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;function validate23(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(errors === 0){if(data && typeof data == "object" && !Array.isArray(data)){let missing0;if((((((data.id === undefined) || (!(func0.call(data, "id")))) && (missing0 = "id")) || (((data.source === undefined) || (!(func0.call(data, "source")))) && (missing0 = "source"))) || (((data.specversion === undefined) || (!(func0.call(data, "specversion")))) && (missing0 = "specversion"))) || (((data.type === undefined) || (!(func0.call(data, "type")))) && (missing0 = "type"))){return fail(validate23,instancePath,"#/required","required",missing0);}else {if(data.id !== undefined && func0.call(data, "id")){let data0 = data.id;const _errs1 = errors;if(errors === _errs1){if(typeof data0 === "string"){if(func50(data0) < 1){return fail(validate23,instancePath+"/id","#/properties/id/minLength","minLength",1);}}else {return fail(validate23,instancePath+"/id","#/properties/id/type","type","string");}}var valid0 = _errs1 === errors;}else {var valid0 = true;}if(valid0){if(data.time !== undefined && func0.call(data, "time")){let data1 = data.time;const _errs3 = errors;if(errors === _errs3){if(errors === _errs3){if(typeof data1 === "string"){if(func50(data1) < 1){return fail(validate23,instancePath+"/time","#/properties/time/minLength","minLength",1);}else {if(!(formats0.validate(data1))){return fail(validate23,instancePath+"/time","#/properties/time/format","format","date-time");}}}else {return fail(validate23,instancePath+"/time","#/properties/time/type","type","string");}}}var valid0 = _errs3 === errors;}else {var valid0 = true;}if(valid0){if(data.type !== undefined && func0.call(data, "type")){let data2 = data.type;const _errs5 = errors;if(errors === _errs5){if(typeof data2 === "string"){if(func50(data2) < 1){return fail(validate23,instancePath+"/type","#/properties/type/minLength","minLength",1);}}else {return fail(validate23,instancePath+"/type","#/properties/type/type","type","string");}}var valid0 = _errs5 === errors;}else {var valid0 = true;}if(valid0){if(data.source !== undefined && func0.call(data, "source")){let data3 = data.source;const _errs7 = errors;if(errors === _errs7){if(errors === _errs7){if(typeof data3 === "string"){if(func50(data3) < 1){return fail(validate23,instancePath+"/source","#/properties/source/minLength","minLength",1);}else {if(!(formats2.test(data3))){return fail(validate23,instancePath+"/source","#/properties/source/format","format","uri-reference");}}}else {return fail(validate23,instancePath+"/source","#/properties/source/type","type","string");}}}var valid0 = _errs7 === errors;}else {var valid0 = true;}if(valid0){if(data.specversion !== undefined && func0.call(data, "specversion")){let data4 = data.specversion;const _errs9 = errors;if(errors === _errs9){if(typeof data4 === "string"){if(func50(data4) < 1){return fail(validate23,instancePath+"/specversion","#/properties/specversion/minLength","minLength",1);}}else {return fail(validate23,instancePath+"/specversion","#/properties/specversion/type","type","string");}}var valid0 = _errs9 === errors;}else {var valid0 = true;}if(valid0){if(data.datacontenttype !== undefined && func0.call(data, "datacontenttype")){let data5 = data.datacontenttype;const _errs11 = errors;if(errors === _errs11){if(typeof data5 === "string"){if(func50(data5) < 1){return fail(validate23,instancePath+"/datacontenttype","#/properties/datacontenttype/minLength","minLength",1);}}else {return fail(validate23,instancePath+"/datacontenttype","#/properties/datacontenttype/type","type","string");}}var valid0 = _errs11 === errors;}else {var valid0 = true;}}}}}}}}else {return fail(validate23,instancePath,"#/type","type","object");}}validate23.errors = vErrors;return errors === 0;}function validate25(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(errors === 0){if(data && typeof data == "object" && !Array.isArray(data)){let missing0;if(((data.tenantid === undefined) || (!(func0.call(data, "tenantid")))) && (missing0 = "tenantid")){return fail(validate25,instancePath,"#/required","required",missing0);}else {if(data.userid !== undefined && func0.call(data, "userid")){const _errs1 = errors;if(typeof data.userid !== "string"){return fail(validate25,instancePath+"/userid","#/properties/userid/type","type","string");}var valid0 = _errs1 === errors;}else {var valid0 = true;}if(valid0){if(data.authtype !== undefined && func0.call(data, "authtype")){const _errs3 = errors;if(typeof data.authtype !== "string"){return fail(validate25,instancePath+"/authtype","#/properties/authtype/type","type","string");}var valid0 = _errs3 === errors;}else {var valid0 = true;}if(valid0){if(data.originip !== undefined && func0.call(data, "originip")){const _errs5 = errors;if(typeof data.originip !== "string"){return fail(validate25,instancePath+"/originip","#/properties/originip/type","type","string");}var valid0 = _errs5 === errors;}else {var valid0 = true;}if(valid0){if(data.tenantid !== undefined && func0.call(data, "tenantid")){const _errs7 = errors;if(typeof data.tenantid !== "string"){return fail(validate25,instancePath+"/tenantid","#/properties/tenantid/type","type","string");}var valid0 = _errs7 === errors;}else {var valid0 = true;}if(valid0){if(data.sessionid !== undefined && func0.call(data, "sessionid")){const _errs9 = errors;if(typeof data.sessionid !== "string"){return fail(validate25,instancePath+"/sessionid","#/properties/sessionid/type","type","string");}var valid0 = _errs9 === errors;}else {var valid0 = true;}if(valid0){if(data.authclaims !== undefined && func0.call(data, "authclaims")){const _errs11 = errors;if(typeof data.authclaims !== "string"){return fail(validate25,instancePath+"/authclaims","#/properties/authclaims/type","type","string");}var valid0 = _errs11 === errors;}else {var valid0 = true;}}}}}}}}else {return fail(validate25,instancePath,"#/type","type","object");}}validate25.errors = vErrors;return errors === 0;}const schema11 = {"enum":["com.qlik/edge-auth"],"type":"string"};function validate28(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(typeof data !== "string"){return fail(validate28,instancePath,"#/type","type","string");}if(!(data === "com.qlik/edge-auth")){return fail(validate28,instancePath,"#/enum","enum",schema11.enum);}validate28.errors = vErrors;return errors === 0;}const schema12 = {"enum":["anonymous"],"type":"string"};function validate30(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(typeof data !== "string"){return fail(validate30,instancePath,"#/type","type","string");}if(!(data === "anonymous")){return fail(validate30,instancePath,"#/enum","enum",schema12.enum);}validate30.errors = vErrors;return errors === 0;}function validate27(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(errors === 0){if(data && typeof data == "object" && !Array.isArray(data)){if(data.idpId !== undefined && func0.call(data, "idpId")){const _errs1 = errors;if(typeof data.idpId !== "string"){return fail(validate27,instancePath+"/idpId","#/properties/idpId/type","type","string");}var valid0 = _errs1 === errors;}else {var valid0 = true;}if(valid0){if(data.source !== undefined && func0.call(data, "source")){const _errs3 = errors;if(!(validate28(data.source, {instancePath:instancePath+"/source",parentData:data,parentDataProperty:"source",rootData}))){vErrors = addErrors(vErrors, validate28.errors);errors = vErrors.length;}var valid0 = _errs3 === errors;}else {var valid0 = true;}if(valid0){if(data.subject !== undefined && func0.call(data, "subject")){const _errs4 = errors;if(typeof data.subject !== "string"){return fail(validate27,instancePath+"/subject","#/properties/subject/type","type","string");}var valid0 = _errs4 === errors;}else {var valid0 = true;}if(valid0){if(data.recovery !== undefined && func0.call(data, "recovery")){const _errs6 = errors;if(typeof data.recovery !== "boolean"){return fail(validate27,instancePath+"/recovery","#/properties/recovery/type","type","boolean");}var valid0 = _errs6 === errors;}else {var valid0 = true;}if(valid0){if(data.userType !== undefined && func0.call(data, "userType")){const _errs8 = errors;if(!(validate30(data.userType, {instancePath:instancePath+"/userType",parentData:data,parentDataProperty:"userType",rootData}))){vErrors = addErrors(vErrors, validate30.errors);errors = vErrors.length;}var valid0 = _errs8 === errors;}else {var valid0 = true;}}}}}}else {return fail(validate27,instancePath,"#/type","type","object");}}validate27.errors = vErrors;return errors === 0;}function validate22(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(!(data && typeof data == "object" && !Array.isArray(data))){return fail(validate22,instancePath,"#/type","type","object");}const _errs1 = errors;if(!(validate23(data, {instancePath,parentData,parentDataProperty,rootData}))){vErrors = addErrors(vErrors, validate23.errors);errors = vErrors.length;}var valid0 = _errs1 === errors;if(valid0){const _errs2 = errors;if(!(validate25(data, {instancePath,parentData,parentDataProperty,rootData}))){vErrors = addErrors(vErrors, validate25.errors);errors = vErrors.length;}var valid0 = _errs2 === errors;if(valid0){const _errs3 = errors;if(errors === _errs3){if(data && typeof data == "object" && !Array.isArray(data)){let missing0;if((((data.type === undefined) || (!(func0.call(data, "type")))) && (missing0 = "type")) || (((data.data === undefined) || (!(func0.call(data, "data")))) && (missing0 = "data"))){return fail(validate22,instancePath,"#/allOf/2/required","required",missing0);}else {if(data.data !== undefined && func0.call(data, "data")){const _errs5 = errors;if(!(validate27(data.data, {instancePath:instancePath+"/data",parentData:data,parentDataProperty:"data",rootData}))){vErrors = addErrors(vErrors, validate27.errors);errors = vErrors.length;}var valid1 = _errs5 === errors;}else {var valid1 = true;}if(valid1){if(data.type !== undefined && func0.call(data, "type")){const _errs6 = errors;if(typeof data.type !== "string"){return fail(validate22,instancePath+"/type","#/allOf/2/properties/type/type","type","string");}var valid1 = _errs6 === errors;}else {var valid1 = true;}}}}else {return fail(validate22,instancePath,"#/allOf/2/type","type","object");}}var valid0 = _errs3 === errors;}}validate22.errors = vErrors;return errors === 0;}exports.validateUserSessionEnd = validate33;function validate36(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(errors === 0){if(data && typeof data == "object" && !Array.isArray(data)){if(data.subject !== undefined && func0.call(data, "subject")){if(typeof data.subject !== "string"){return fail(validate36,instancePath+"/subject","#/properties/subject/type","type","string");}}}else {return fail(validate36,instancePath,"#/type","type","object");}}validate36.errors = vErrors;return errors === 0;}function validate33(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(!(data && typeof data == "object" && !Array.isArray(data))){return fail(validate33,instancePath,"#/type","type","object");}const _errs1 = errors;if(!(validate23(data, {instancePath,parentData,parentDataProperty,rootData}))){vErrors = addErrors(vErrors, validate23.errors);errors = vErrors.length;}var valid0 = _errs1 === errors;if(valid0){const _errs2 = errors;if(!(validate25(data, {instancePath,parentData,parentDataProperty,rootData}))){vErrors = addErrors(vErrors, validate25.errors);errors = vErrors.length;}var valid0 = _errs2 === errors;if(valid0){const _errs3 = errors;if(errors === _errs3){if(data && typeof data == "object" && !Array.isArray(data)){let missing0;if((((data.type === undefined) || (!(func0.call(data, "type")))) && (missing0 = "type")) || (((data.data === undefined) || (!(func0.call(data, "data")))) && (missing0 = "data"))){return fail(validate33,instancePath,"#/allOf/2/required","required",missing0);}else {if(data.data !== undefined && func0.call(data, "data")){const _errs5 = errors;if(!(validate36(data.data, {instancePath:instancePath+"/data",parentData:data,parentDataProperty:"data",rootData}))){vErrors = addErrors(vErrors, validate36.errors);errors = vErrors.length;}var valid1 = _errs5 === errors;}else {var valid1 = true;}if(valid1){if(data.type !== undefined && func0.call(data, "type")){const _errs6 = errors;if(typeof data.type !== "string"){return fail(validate33,instancePath+"/type","#/allOf/2/properties/type/type","type","string");}var valid1 = _errs6 === errors;}else {var valid1 = true;}}}}else {return fail(validate33,instancePath,"#/allOf/2/type","type","object");}}var valid0 = _errs3 === errors;}}validate33.errors = vErrors;return errors === 0;}
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
// Ajv's `vErrors = vErrors === null ? more : vErrors.concat(more);`.
function addErrors(list, more) {
  return list === null ? more : list.concat(more);
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
