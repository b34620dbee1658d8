// @ts-nocheck: compiled by Ajv at generation time; typed through runtime/validation.ts
// The modules Ajv's code requires, each as its package wrote it (CommonJS), loaded once in this order.
const modules = {
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
"use strict";exports.validateClientCreated = validate22;const formats0 = require("codegen:formats")["date-time"];function validate23(data, {instancePath=""}={}){if(data && typeof data == "object" && !Array.isArray(data)){if(data.id !== undefined){if(typeof data.id !== "string"){return failIn(validate23,instancePath,"id","type","string");}}if(data.version !== undefined){let data1 = data.version;if(!((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1)))){return failIn(validate23,instancePath,"version","type","integer");}}if(data.name !== undefined){if(typeof data.name !== "string"){return failIn(validate23,instancePath,"name","type","string");}}if(data.namespace !== undefined){if(typeof data.namespace !== "string"){return failIn(validate23,instancePath,"namespace","type","string");}}if(data.parentNamespace !== undefined){if(typeof data.parentNamespace !== "string"){return failIn(validate23,instancePath,"parentNamespace","type","string");}}if(data.timestamp !== undefined){let data5 = data.timestamp;if(typeof data5 === "string"){if(!(formats0.validate(data5))){return failIn(validate23,instancePath,"timestamp","format","date-time");}}else {return failIn(validate23,instancePath,"timestamp","type","string");}}if(data.clientId !== undefined){if(typeof data.clientId !== "string"){return failIn(validate23,instancePath,"clientId","type","string");}}if(data.userId !== undefined){if(typeof data.userId !== "string"){return failIn(validate23,instancePath,"userId","type","string");}}if(data.traceId !== undefined){if(typeof data.traceId !== "string"){return failIn(validate23,instancePath,"traceId","type","string");}}if(data.sessionId !== undefined){if(typeof data.sessionId !== "string"){return failIn(validate23,instancePath,"sessionId","type","string");}}}else {return failAt(validate23,instancePath,"#/type","object");}validate23.errors = null;return true;}function validate27(data, {instancePath=""}={}){if(data && typeof data == "object" && !Array.isArray(data)){if(data.clientId !== undefined){if(typeof data.clientId !== "string"){return failIn(validate27,instancePath,"clientId","type","string");}}if(data.name !== undefined){if(typeof data.name !== "string"){return failIn(validate27,instancePath,"name","type","string");}}if(data.clientType !== undefined){if(typeof data.clientType !== "string"){return failIn(validate27,instancePath,"clientType","type","string");}}if(data.baseUri !== undefined){if(typeof data.baseUri !== "string"){return failIn(validate27,instancePath,"baseUri","type","string");}}if(data.redirectUri !== undefined){if(typeof data.redirectUri !== "string"){return failIn(validate27,instancePath,"redirectUri","type","string");}}if(data.secret !== undefined){if(typeof data.secret !== "string"){return failIn(validate27,instancePath,"secret","type","string");}}if(data.audiences !== undefined){let data6 = data.audiences;if(Array.isArray(data6)){const len0 = data6.length;for(let i0=0; i0<len0; i0++){if(typeof data6[i0] !== "string"){return failAt(validate27,instancePath+"/audiences/" + i0,"#/properties/audiences/items/type","string");}}}else {return failIn(validate27,instancePath,"audiences","type","array");}}if(data.clientPlatform !== undefined){if(typeof data.clientPlatform !== "string"){return failIn(validate27,instancePath,"clientPlatform","type","string");}}if(data.twoFactorEnabled !== undefined){if(typeof data.twoFactorEnabled !== "boolean"){return failIn(validate27,instancePath,"twoFactorEnabled","type","boolean");}}if(data.namespace !== undefined){if(typeof data.namespace !== "string"){return failIn(validate27,instancePath,"namespace","type","string");}}}else {return failAt(validate27,instancePath,"#/type","object");}validate27.errors = null;return true;}function validate26(data, {instancePath=""}={}){if(!(validate27(data, {instancePath}))){return failFrom(validate26,validate27);}if(data && typeof data == "object" && !Array.isArray(data)){if(data.parentNamespace !== undefined){if(typeof data.parentNamespace !== "string"){return failAt(validate26,instancePath+"/parentNamespace","#/allOf/1/properties/parentNamespace/type","string");}}}else {return failAt(validate26,instancePath,"#/allOf/1/type","object");}validate26.errors = null;return true;}function validate25(data, {instancePath=""}={}){if(data && typeof data == "object" && !Array.isArray(data)){if(data.client !== undefined){if(!(validate26(data.client, {instancePath:instancePath+"/client"}))){return failFrom(validate25,validate26);}}}else {return failAt(validate25,instancePath,"#/type","object");}validate25.errors = null;return true;}function validate22(data, {instancePath=""}={}){if(!(validate23(data, {instancePath}))){return failFrom(validate22,validate23);}if(data && typeof data == "object" && !Array.isArray(data)){if(data.name !== undefined){if("clientCreated" !== data.name){return failAt(validate22,instancePath+"/name","#/allOf/1/properties/name/const","clientCreated");}}if(data.payload !== undefined){if(!(validate25(data.payload, {instancePath:instancePath+"/payload"}))){return failFrom(validate22,validate25);}}}else {return failAt(validate22,instancePath,"#/allOf/1/type","object");}validate22.errors = null;return true;}exports.validateClientDeleted = validate31;function validate33(data, {instancePath=""}={}){if(data && typeof data == "object" && !Array.isArray(data)){if(data.client !== undefined){if(!(validate27(data.client, {instancePath:instancePath+"/client"}))){return failFrom(validate33,validate27);}}}else {return failAt(validate33,instancePath,"#/type","object");}validate33.errors = null;return true;}function validate31(data, {instancePath=""}={}){if(!(validate23(data, {instancePath}))){return failFrom(validate31,validate23);}if(data && typeof data == "object" && !Array.isArray(data)){if(data.name !== undefined){if("clientDeleted" !== data.name){return failAt(validate31,instancePath+"/name","#/allOf/1/properties/name/const","clientDeleted");}}if(data.payload !== undefined){if(!(validate33(data.payload, {instancePath:instancePath+"/payload"}))){return failFrom(validate31,validate33);}}}else {return failAt(validate31,instancePath,"#/allOf/1/type","object");}validate31.errors = null;return true;}exports.validateClientUpdated = validate36;function validate36(data, {instancePath=""}={}){if(!(validate23(data, {instancePath}))){return failFrom(validate36,validate23);}if(data && typeof data == "object" && !Array.isArray(data)){if(data.name !== undefined){if("clientUpdated" !== data.name){return failAt(validate36,instancePath+"/name","#/allOf/1/properties/name/const","clientUpdated");}}if(data.payload !== undefined){if(!(validate33(data.payload, {instancePath:instancePath+"/payload"}))){return failFrom(validate36,validate33);}}}else {return failAt(validate36,instancePath,"#/allOf/1/type","object");}validate36.errors = null;return true;}exports.validateClientThirdPartyCreated = validate39;function validate43(data, {instancePath=""}={}){if(data && typeof data == "object" && !Array.isArray(data)){if(data.platformId !== undefined){if(typeof data.platformId !== "string"){return failIn(validate43,instancePath,"platformId","type","string");}}if(data.appId !== undefined){if(typeof data.appId !== "string"){return failIn(validate43,instancePath,"appId","type","string");}}if(data.redirectUri !== undefined){if(typeof data.redirectUri !== "string"){return failIn(validate43,instancePath,"redirectUri","type","string");}}if(data.secret !== undefined){if(typeof data.secret !== "string"){return failIn(validate43,instancePath,"secret","type","string");}}if(data.active !== undefined){if(typeof data.active !== "boolean"){return failIn(validate43,instancePath,"active","type","boolean");}}}else {return failAt(validate43,instancePath,"#/type","object");}validate43.errors = null;return true;}function validate41(data, {instancePath=""}={}){if(data && typeof data == "object" && !Array.isArray(data)){if(data.client !== undefined){if(!(validate27(data.client, {instancePath:instancePath+"/client"}))){return failFrom(validate41,validate27);}}if(data.clientThirdParty !== undefined){if(!(validate43(data.clientThirdParty, {instancePath:instancePath+"/clientThirdParty"}))){return failFrom(validate41,validate43);}}}else {return failAt(validate41,instancePath,"#/type","object");}validate41.errors = null;return true;}function validate39(data, {instancePath=""}={}){if(!(validate23(data, {instancePath}))){return failFrom(validate39,validate23);}if(data && typeof data == "object" && !Array.isArray(data)){if(data.name !== undefined){if("clientThirdPartyCreated" !== data.name){return failAt(validate39,instancePath+"/name","#/allOf/1/properties/name/const","clientThirdPartyCreated");}}if(data.payload !== undefined){if(!(validate41(data.payload, {instancePath:instancePath+"/payload"}))){return failFrom(validate39,validate41);}}}else {return failAt(validate39,instancePath,"#/allOf/1/type","object");}validate39.errors = null;return true;}exports.validateClientThirdPartyDeleted = validate46;function validate46(data, {instancePath=""}={}){if(!(validate23(data, {instancePath}))){return failFrom(validate46,validate23);}if(data && typeof data == "object" && !Array.isArray(data)){if(data.name !== undefined){if("clientThirdPartyDeleted" !== data.name){return failAt(validate46,instancePath+"/name","#/allOf/1/properties/name/const","clientThirdPartyDeleted");}}if(data.payload !== undefined){if(!(validate41(data.payload, {instancePath:instancePath+"/payload"}))){return failFrom(validate46,validate41);}}}else {return failAt(validate46,instancePath,"#/allOf/1/type","object");}validate46.errors = null;return true;}exports.validateClientThirdPartyUpdated = validate49;function validate49(data, {instancePath=""}={}){if(!(validate23(data, {instancePath}))){return failFrom(validate49,validate23);}if(data && typeof data == "object" && !Array.isArray(data)){if(data.name !== undefined){if("clientThirdPartyUpdated" !== data.name){return failAt(validate49,instancePath+"/name","#/allOf/1/properties/name/const","clientThirdPartyUpdated");}}if(data.payload !== undefined){if(!(validate41(data.payload, {instancePath:instancePath+"/payload"}))){return failFrom(validate49,validate41);}}}else {return failAt(validate49,instancePath,"#/allOf/1/type","object");}validate49.errors = null;return true;}exports.validateClientPermissionCreated = validate52;function validate56(data, {instancePath=""}={}){if(data && typeof data == "object" && !Array.isArray(data)){if(data.resoure !== undefined){if(typeof data.resoure !== "string"){return failIn(validate56,instancePath,"resoure","type","string");}}if(data.action !== undefined){if(typeof data.action !== "string"){return failIn(validate56,instancePath,"action","type","string");}}if(data.SchedAction !== undefined){let data2 = data.SchedAction;if(!((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2)))){return failIn(validate56,instancePath,"SchedAction","type","integer");}if(typeof data2 == "number"){if(data2 > 15 || isNaN(data2)){return failIn(validate56,instancePath,"SchedAction","maximum","<=",15);}else {if(data2 < 1 || isNaN(data2)){return failIn(validate56,instancePath,"SchedAction","minimum",">=",1);}}}}if(data.SchedCron !== undefined){if(typeof data.SchedCron !== "string"){return failIn(validate56,instancePath,"SchedCron","type","string");}}if(data.SchedRange !== undefined){let data4 = data.SchedRange;if(Array.isArray(data4)){const len0 = data4.length;for(let i0=0; i0<len0; i0++){if(typeof data4[i0] !== "string"){return failAt(validate56,instancePath+"/SchedRange/" + i0,"#/properties/SchedRange/items/type","string");}}}else {return failIn(validate56,instancePath,"SchedRange","type","array");}}}else {return failAt(validate56,instancePath,"#/type","object");}validate56.errors = null;return true;}function validate54(data, {instancePath=""}={}){if(data && typeof data == "object" && !Array.isArray(data)){if(data.client !== undefined){if(!(validate27(data.client, {instancePath:instancePath+"/client"}))){return failFrom(validate54,validate27);}}if(data.permissions !== undefined){let data1 = data.permissions;if(Array.isArray(data1)){const len0 = data1.length;for(let i0=0; i0<len0; i0++){if(!(validate56(data1[i0], {instancePath:instancePath+"/permissions/" + i0}))){return failFrom(validate54,validate56);}}}else {return failIn(validate54,instancePath,"permissions","type","array");}}}else {return failAt(validate54,instancePath,"#/type","object");}validate54.errors = null;return true;}function validate52(data, {instancePath=""}={}){if(!(validate23(data, {instancePath}))){return failFrom(validate52,validate23);}if(data && typeof data == "object" && !Array.isArray(data)){if(data.name !== undefined){if("clientPermissionCreated" !== data.name){return failAt(validate52,instancePath+"/name","#/allOf/1/properties/name/const","clientPermissionCreated");}}if(data.payload !== undefined){if(!(validate54(data.payload, {instancePath:instancePath+"/payload"}))){return failFrom(validate52,validate54);}}}else {return failAt(validate52,instancePath,"#/allOf/1/type","object");}validate52.errors = null;return true;}exports.validateClientPermissionDeleted = validate59;function validate59(data, {instancePath=""}={}){if(!(validate23(data, {instancePath}))){return failFrom(validate59,validate23);}if(data && typeof data == "object" && !Array.isArray(data)){if(data.name !== undefined){if("clientPermissionDeleted" !== data.name){return failAt(validate59,instancePath+"/name","#/allOf/1/properties/name/const","clientPermissionDeleted");}}if(data.payload !== undefined){if(!(validate54(data.payload, {instancePath:instancePath+"/payload"}))){return failFrom(validate59,validate54);}}}else {return failAt(validate59,instancePath,"#/allOf/1/type","object");}validate59.errors = null;return true;}exports.validateClientPermissionUpdated = validate62;function validate62(data, {instancePath=""}={}){if(!(validate23(data, {instancePath}))){return failFrom(validate62,validate23);}if(data && typeof data == "object" && !Array.isArray(data)){if(data.name !== undefined){if("clientPermissionUpdated" !== data.name){return failAt(validate62,instancePath+"/name","#/allOf/1/properties/name/const","clientPermissionUpdated");}}if(data.payload !== undefined){if(!(validate54(data.payload, {instancePath:instancePath+"/payload"}))){return failFrom(validate62,validate54);}}}else {return failAt(validate62,instancePath,"#/allOf/1/type","object");}validate62.errors = null;return true;}
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
  "const": [["allowedValue"], () => "must be equal to constant"],
  "format": [["format"], (format) => "must match format \"" + format + "\""],
  "maximum": [["comparison","limit"], (comparison, limit) => "must be " + comparison + " " + limit],
  "minimum": [["comparison","limit"], (comparison, limit) => "must be " + comparison + " " + limit],
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
export const validateClientCreated = guarded(part0.validateClientCreated);
export const validateClientDeleted = guarded(part0.validateClientDeleted);
export const validateClientUpdated = guarded(part0.validateClientUpdated);
export const validateClientThirdPartyCreated = guarded(part0.validateClientThirdPartyCreated);
export const validateClientThirdPartyDeleted = guarded(part0.validateClientThirdPartyDeleted);
export const validateClientThirdPartyUpdated = guarded(part0.validateClientThirdPartyUpdated);
export const validateClientPermissionCreated = guarded(part0.validateClientPermissionCreated);
export const validateClientPermissionDeleted = guarded(part0.validateClientPermissionDeleted);
export const validateClientPermissionUpdated = guarded(part0.validateClientPermissionUpdated);
