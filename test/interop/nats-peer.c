/*
 * A NATS client the project did not write (libnats, the C client), for the interop tests.
 *
 *   nats-peer pub <url> <subject> <body> [<header> <value>]...
 *   nats-peer sub <url> <subject> [<marker>]
 *
 * `sub` prints "ready" once the server knows the subscription, then for the first message whose
 * body holds `marker` (others on the subject, from tests running beside, are skipped): each header
 * as "H <name>\t<value>", the exact-name lookups a C consumer makes ("L <name>\t<value>", "-" when
 * absent: libnats header names are case-sensitive), and "B <body>".
 */
#define _GNU_SOURCE
#include <nats/nats.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *LOOKUPS[] = {"Content-Type", "ce-specversion", "ce-type", "ce-id", "ce-datacontenttype", NULL};

static int fail(const char *what, natsStatus s) {
  fprintf(stderr, "%s: %s\n", what, natsStatus_GetText(s));
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: nats-peer pub|sub <url> <subject> [body [header value]...]\n");
    return 2;
  }
  natsConnection *nc = NULL;
  natsStatus s = natsConnection_ConnectTo(&nc, argv[2]);
  if (s != NATS_OK) return fail("connect", s);
  if (argv[1][0] == 'p') {
    natsMsg *msg = NULL;
    const char *body = argc > 4 ? argv[4] : "";
    s = natsMsg_Create(&msg, argv[3], NULL, body, (int)strlen(body));
    for (int i = 5; s == NATS_OK && i + 1 < argc; i += 2) s = natsMsgHeader_Set(msg, argv[i], argv[i + 1]);
    if (s == NATS_OK) s = natsConnection_PublishMsg(nc, msg);
    if (s == NATS_OK) s = natsConnection_Flush(nc);
    natsMsg_Destroy(msg);
    natsConnection_Destroy(nc);
    return s == NATS_OK ? 0 : fail("publish", s);
  }
  natsSubscription *sub = NULL;
  s = natsConnection_SubscribeSync(&sub, nc, argv[3]);
  if (s == NATS_OK) s = natsConnection_Flush(nc);
  if (s != NATS_OK) return fail("subscribe", s);
  printf("ready\n");
  fflush(stdout);
  natsMsg *msg = NULL;
  for (;;) {
    s = natsSubscription_NextMsg(&msg, sub, 10000);
    if (s != NATS_OK) return fail("receive", s);
    if (argc < 5 || memmem(natsMsg_GetData(msg), natsMsg_GetDataLength(msg), argv[4], strlen(argv[4])) != NULL) break;
    natsMsg_Destroy(msg);
  }
  const char **keys = NULL;
  int count = 0;
  if (natsMsgHeader_Keys(msg, &keys, &count) == NATS_OK) {
    for (int i = 0; i < count; i++) {
      const char *value = NULL;
      natsMsgHeader_Get(msg, keys[i], &value);
      printf("H %s\t%s\n", keys[i], value ? value : "");
    }
    free((void *)keys);
  }
  for (int i = 0; LOOKUPS[i] != NULL; i++) {
    const char *value = NULL;
    printf("L %s\t%s\n", LOOKUPS[i], natsMsgHeader_Get(msg, LOOKUPS[i], &value) == NATS_OK && value ? value : "-");
  }
  printf("B %.*s\n", natsMsg_GetDataLength(msg), natsMsg_GetData(msg));
  fflush(stdout);
  natsMsg_Destroy(msg);
  natsSubscription_Destroy(sub);
  natsConnection_Destroy(nc);
  return 0;
}
