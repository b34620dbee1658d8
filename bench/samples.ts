/**
 * Valid user-sessions events, written by hand like test/roundtrip.test.ts: realistic sizes, every
 * optional envelope field a producer usually fills. The benchmarks check them against the schema
 * before measuring, so a wrong sample fails loudly instead of timing an error path.
 */
export interface MessageSample {
  /** The message's id in the generated client (`userSessionBegin`). */
  readonly id: string;
  /** Its key under components.messages in the spec, for compiling the bare Ajv validator. */
  readonly componentKey: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

const envelope = {
  id: '7f9c1c52-6a1e-4c55-9a44-2f0f3b0e9d11',
  source: 'com.qlik/edge-auth',
  specversion: '1.0',
  time: '2026-01-01T12:00:00Z',
  datacontenttype: 'application/json',
  tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69',
  userid: '605a18af2ab08cdbfad09259',
  sessionid: 'WZhiEfgW2bLd7HgR-jjzAh6VnicipweT',
};

export const USER_SESSIONS: readonly MessageSample[] = [
  {
    id: 'userSessionBegin',
    componentKey: 'user-session.userSessionBegin',
    payload: {
      ...envelope,
      type: 'com.qlik.user-session.begin',
      data: { idpId: '661d627cef218789bbd67cc9', source: 'com.qlik/edge-auth', subject: 'auth0\\foo', recovery: false },
    },
  },
  {
    id: 'userSessionEnd',
    componentKey: 'user-session.userSessionEnd',
    payload: { ...envelope, type: 'com.qlik.user-session.end', data: { subject: 'auth0\\foo' } },
  },
];
