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
"use strict";exports.validateUserSessionBegin = validate22;const func0 = Object.prototype.hasOwnProperty;const func50 = require("ajv/dist/runtime/ucs2length").default;const formats0 = require("codegen:formats")["date-time"];const formats2 = /^(?:[a-z][a-z0-9+\-.]*:)?(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'"()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?(?:\?(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;function validate23(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(data && typeof data == "object" && !Array.isArray(data)){if((data.id === undefined) || (!(func0.call(data, "id")))){const err0 = newError(instancePath,"#/required","required",{missingProperty: "id"},"must have required property '"+"id"+"'");vErrors = addError(vErrors, err0);errors++;}if((data.source === undefined) || (!(func0.call(data, "source")))){const err1 = newError(instancePath,"#/required","required",{missingProperty: "source"},"must have required property '"+"source"+"'");vErrors = addError(vErrors, err1);errors++;}if((data.specversion === undefined) || (!(func0.call(data, "specversion")))){const err2 = newError(instancePath,"#/required","required",{missingProperty: "specversion"},"must have required property '"+"specversion"+"'");vErrors = addError(vErrors, err2);errors++;}if((data.type === undefined) || (!(func0.call(data, "type")))){const err3 = newError(instancePath,"#/required","required",{missingProperty: "type"},"must have required property '"+"type"+"'");vErrors = addError(vErrors, err3);errors++;}if(data.id !== undefined && func0.call(data, "id")){let data0 = data.id;if(typeof data0 === "string"){if(func50(data0) < 1){const err4 = newError(instancePath+"/id","#/properties/id/minLength","minLength",{limit: 1},"must NOT have fewer than 1 characters");vErrors = addError(vErrors, err4);errors++;}}else {const err5 = newError(instancePath+"/id","#/properties/id/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err5);errors++;}}if(data.time !== undefined && func0.call(data, "time")){let data1 = data.time;if(typeof data1 === "string"){if(func50(data1) < 1){const err6 = newError(instancePath+"/time","#/properties/time/minLength","minLength",{limit: 1},"must NOT have fewer than 1 characters");vErrors = addError(vErrors, err6);errors++;}if(!(formats0.validate(data1))){const err7 = newError(instancePath+"/time","#/properties/time/format","format",{format: "date-time"},"must match format \""+"date-time"+"\"");vErrors = addError(vErrors, err7);errors++;}}else {const err8 = newError(instancePath+"/time","#/properties/time/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err8);errors++;}}if(data.type !== undefined && func0.call(data, "type")){let data2 = data.type;if(typeof data2 === "string"){if(func50(data2) < 1){const err9 = newError(instancePath+"/type","#/properties/type/minLength","minLength",{limit: 1},"must NOT have fewer than 1 characters");vErrors = addError(vErrors, err9);errors++;}}else {const err10 = newError(instancePath+"/type","#/properties/type/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err10);errors++;}}if(data.source !== undefined && func0.call(data, "source")){let data3 = data.source;if(typeof data3 === "string"){if(func50(data3) < 1){const err11 = newError(instancePath+"/source","#/properties/source/minLength","minLength",{limit: 1},"must NOT have fewer than 1 characters");vErrors = addError(vErrors, err11);errors++;}if(!(formats2.test(data3))){const err12 = newError(instancePath+"/source","#/properties/source/format","format",{format: "uri-reference"},"must match format \""+"uri-reference"+"\"");vErrors = addError(vErrors, err12);errors++;}}else {const err13 = newError(instancePath+"/source","#/properties/source/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err13);errors++;}}if(data.specversion !== undefined && func0.call(data, "specversion")){let data4 = data.specversion;if(typeof data4 === "string"){if(func50(data4) < 1){const err14 = newError(instancePath+"/specversion","#/properties/specversion/minLength","minLength",{limit: 1},"must NOT have fewer than 1 characters");vErrors = addError(vErrors, err14);errors++;}}else {const err15 = newError(instancePath+"/specversion","#/properties/specversion/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err15);errors++;}}if(data.datacontenttype !== undefined && func0.call(data, "datacontenttype")){let data5 = data.datacontenttype;if(typeof data5 === "string"){if(func50(data5) < 1){const err16 = newError(instancePath+"/datacontenttype","#/properties/datacontenttype/minLength","minLength",{limit: 1},"must NOT have fewer than 1 characters");vErrors = addError(vErrors, err16);errors++;}}else {const err17 = newError(instancePath+"/datacontenttype","#/properties/datacontenttype/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err17);errors++;}}}else {const err18 = newError(instancePath,"#/type","type",{type: "object"},"must be object");vErrors = addError(vErrors, err18);errors++;}validate23.errors = vErrors;return errors === 0;}function validate25(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(data && typeof data == "object" && !Array.isArray(data)){if((data.tenantid === undefined) || (!(func0.call(data, "tenantid")))){const err0 = newError(instancePath,"#/required","required",{missingProperty: "tenantid"},"must have required property '"+"tenantid"+"'");vErrors = addError(vErrors, err0);errors++;}if(data.userid !== undefined && func0.call(data, "userid")){if(typeof data.userid !== "string"){const err1 = newError(instancePath+"/userid","#/properties/userid/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err1);errors++;}}if(data.authtype !== undefined && func0.call(data, "authtype")){if(typeof data.authtype !== "string"){const err2 = newError(instancePath+"/authtype","#/properties/authtype/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err2);errors++;}}if(data.originip !== undefined && func0.call(data, "originip")){if(typeof data.originip !== "string"){const err3 = newError(instancePath+"/originip","#/properties/originip/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err3);errors++;}}if(data.tenantid !== undefined && func0.call(data, "tenantid")){if(typeof data.tenantid !== "string"){const err4 = newError(instancePath+"/tenantid","#/properties/tenantid/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err4);errors++;}}if(data.sessionid !== undefined && func0.call(data, "sessionid")){if(typeof data.sessionid !== "string"){const err5 = newError(instancePath+"/sessionid","#/properties/sessionid/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err5);errors++;}}if(data.authclaims !== undefined && func0.call(data, "authclaims")){if(typeof data.authclaims !== "string"){const err6 = newError(instancePath+"/authclaims","#/properties/authclaims/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err6);errors++;}}}else {const err7 = newError(instancePath,"#/type","type",{type: "object"},"must be object");vErrors = addError(vErrors, err7);errors++;}validate25.errors = vErrors;return errors === 0;}const schema11 = {"enum":["com.qlik/edge-auth"],"type":"string","description":"The source of the event."};function validate28(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(typeof data !== "string"){const err0 = newError(instancePath,"#/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err0);errors++;}if(!(data === "com.qlik/edge-auth")){const err1 = newError(instancePath,"#/enum","enum",{allowedValues: schema11.enum},"must be equal to one of the allowed values");vErrors = addError(vErrors, err1);errors++;}validate28.errors = vErrors;return errors === 0;}const schema12 = {"enum":["anonymous"],"type":"string","description":"The user's type, only specified for anonymous users."};function validate30(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(typeof data !== "string"){const err0 = newError(instancePath,"#/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err0);errors++;}if(!(data === "anonymous")){const err1 = newError(instancePath,"#/enum","enum",{allowedValues: schema12.enum},"must be equal to one of the allowed values");vErrors = addError(vErrors, err1);errors++;}validate30.errors = vErrors;return errors === 0;}function validate27(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(data && typeof data == "object" && !Array.isArray(data)){if(data.idpId !== undefined && func0.call(data, "idpId")){if(typeof data.idpId !== "string"){const err0 = newError(instancePath+"/idpId","#/properties/idpId/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err0);errors++;}}if(data.source !== undefined && func0.call(data, "source")){if(!(validate28(data.source, {instancePath:instancePath+"/source",parentData:data,parentDataProperty:"source",rootData}))){vErrors = vErrors === null ? validate28.errors : vErrors.concat(validate28.errors);errors = vErrors.length;}}if(data.subject !== undefined && func0.call(data, "subject")){if(typeof data.subject !== "string"){const err1 = newError(instancePath+"/subject","#/properties/subject/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err1);errors++;}}if(data.recovery !== undefined && func0.call(data, "recovery")){if(typeof data.recovery !== "boolean"){const err2 = newError(instancePath+"/recovery","#/properties/recovery/type","type",{type: "boolean"},"must be boolean");vErrors = addError(vErrors, err2);errors++;}}if(data.userType !== undefined && func0.call(data, "userType")){if(!(validate30(data.userType, {instancePath:instancePath+"/userType",parentData:data,parentDataProperty:"userType",rootData}))){vErrors = vErrors === null ? validate30.errors : vErrors.concat(validate30.errors);errors = vErrors.length;}}}else {const err3 = newError(instancePath,"#/type","type",{type: "object"},"must be object");vErrors = addError(vErrors, err3);errors++;}validate27.errors = vErrors;return errors === 0;}function validate22(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(!(data && typeof data == "object" && !Array.isArray(data))){const err0 = newError(instancePath,"#/type","type",{type: "object"},"must be object");vErrors = addError(vErrors, err0);errors++;}if(!(validate23(data, {instancePath,parentData,parentDataProperty,rootData}))){vErrors = vErrors === null ? validate23.errors : vErrors.concat(validate23.errors);errors = vErrors.length;}if(!(validate25(data, {instancePath,parentData,parentDataProperty,rootData}))){vErrors = vErrors === null ? validate25.errors : vErrors.concat(validate25.errors);errors = vErrors.length;}if(data && typeof data == "object" && !Array.isArray(data)){if((data.type === undefined) || (!(func0.call(data, "type")))){const err1 = newError(instancePath,"#/allOf/2/required","required",{missingProperty: "type"},"must have required property '"+"type"+"'");vErrors = addError(vErrors, err1);errors++;}if((data.data === undefined) || (!(func0.call(data, "data")))){const err2 = newError(instancePath,"#/allOf/2/required","required",{missingProperty: "data"},"must have required property '"+"data"+"'");vErrors = addError(vErrors, err2);errors++;}if(data.data !== undefined && func0.call(data, "data")){if(!(validate27(data.data, {instancePath:instancePath+"/data",parentData:data,parentDataProperty:"data",rootData}))){vErrors = vErrors === null ? validate27.errors : vErrors.concat(validate27.errors);errors = vErrors.length;}}if(data.type !== undefined && func0.call(data, "type")){if(typeof data.type !== "string"){const err3 = newError(instancePath+"/type","#/allOf/2/properties/type/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err3);errors++;}}}else {const err4 = newError(instancePath,"#/allOf/2/type","type",{type: "object"},"must be object");vErrors = addError(vErrors, err4);errors++;}validate22.errors = vErrors;return errors === 0;}exports.validateUserSessionEnd = validate33;function validate36(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(data && typeof data == "object" && !Array.isArray(data)){if(data.subject !== undefined && func0.call(data, "subject")){if(typeof data.subject !== "string"){const err0 = newError(instancePath+"/subject","#/properties/subject/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err0);errors++;}}}else {const err1 = newError(instancePath,"#/type","type",{type: "object"},"must be object");vErrors = addError(vErrors, err1);errors++;}validate36.errors = vErrors;return errors === 0;}function validate33(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){let vErrors = null;let errors = 0;if(!(data && typeof data == "object" && !Array.isArray(data))){const err0 = newError(instancePath,"#/type","type",{type: "object"},"must be object");vErrors = addError(vErrors, err0);errors++;}if(!(validate23(data, {instancePath,parentData,parentDataProperty,rootData}))){vErrors = vErrors === null ? validate23.errors : vErrors.concat(validate23.errors);errors = vErrors.length;}if(!(validate25(data, {instancePath,parentData,parentDataProperty,rootData}))){vErrors = vErrors === null ? validate25.errors : vErrors.concat(validate25.errors);errors = vErrors.length;}if(data && typeof data == "object" && !Array.isArray(data)){if((data.type === undefined) || (!(func0.call(data, "type")))){const err1 = newError(instancePath,"#/allOf/2/required","required",{missingProperty: "type"},"must have required property '"+"type"+"'");vErrors = addError(vErrors, err1);errors++;}if((data.data === undefined) || (!(func0.call(data, "data")))){const err2 = newError(instancePath,"#/allOf/2/required","required",{missingProperty: "data"},"must have required property '"+"data"+"'");vErrors = addError(vErrors, err2);errors++;}if(data.data !== undefined && func0.call(data, "data")){if(!(validate36(data.data, {instancePath:instancePath+"/data",parentData:data,parentDataProperty:"data",rootData}))){vErrors = vErrors === null ? validate36.errors : vErrors.concat(validate36.errors);errors = vErrors.length;}}if(data.type !== undefined && func0.call(data, "type")){if(typeof data.type !== "string"){const err3 = newError(instancePath+"/type","#/allOf/2/properties/type/type","type",{type: "string"},"must be string");vErrors = addError(vErrors, err3);errors++;}}}else {const err4 = newError(instancePath,"#/allOf/2/type","type",{type: "object"},"must be object");vErrors = addError(vErrors, err4);errors++;}validate33.errors = vErrors;return errors === 0;}
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
// Ajv's `if (vErrors === null) vErrors = [err]; else vErrors.push(err);`, once for every error site.
function addError(list, error) {
  if (list === null) return [error];
  list.push(error);
  return list;
}
// Each error object Ajv builds, with its keys in Ajv's order.
function newError(instancePath, schemaPath, keyword, params, message) {
  return { instancePath, schemaPath, keyword, params, message };
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
