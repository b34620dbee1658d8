/*
 * A Kafka cluster for the tests: librdkafka's mock cluster (a real implementation of the Kafka
 * protocol, kept in memory) with 3 brokers on loopback ports, until SIGTERM.
 *
 *   kafka-mock [-a PORT,PORT,PORT] [TOPIC[:PARTITIONS]]...
 *
 * Prints the bootstrap servers (broker 1 first) on the first line of stdout. Topics come from the
 * arguments and from lines on stdin, each answered with "created TOPIC" or "failed TOPIC: why",
 * since the mock has no CreateTopics. -a advertises other ports than the listeners' own, so a test
 * can put proxies in front and restart the cluster behind them on the same addresses.
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

static void create(rd_kafka_mock_cluster_t *mc, char *spec) {
    spec[strcspn(spec, "\r\n")] = '\0';
    if (spec[0] == '\0') return;
    char *colon = strchr(spec, ':');
    int partitions = colon ? atoi(colon + 1) : 4;
    if (colon) *colon = '\0';
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mc, spec, partitions > 0 ? partitions : 1, 3);
    if (err) printf("failed %s: %s\n", spec, rd_kafka_err2str(err));
    else printf("created %s\n", spec);
    fflush(stdout);
}

/* Topics from stdin, one line each, until EOF. */
static void *read_topics(void *mc) {
    char *line = NULL;
    size_t size = 0;
    while (getline(&line, &size, stdin) != -1) create(mc, line);
    free(line);
    return NULL;
}

int main(int argc, char **argv) {
    char err[512];
    /* Blocked in every thread (the mock's own inherit it), taken only by sigwait below. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive the test run that started us */

    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", err, sizeof(err)); /* errors only */
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
    if (!rk) { fprintf(stderr, "kafka-mock: %s\n", err); return 1; }
    rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, 3);
    if (!mc) { fprintf(stderr, "kafka-mock: cannot create the mock cluster\n"); return 1; }
    /* kafkajs sends admin and InitProducerId requests to the controller; the default id 0 is no broker. */
    rd_kafka_mock_set_controller_id(mc, 1);
    /* With the later LeaveGroup versions kafkajs picks, the mock mishandles the leave and the group
     * waits a whole session more (README, "Kafka"); v0-1 is enough for kafkajs. */
    rd_kafka_mock_set_apiversion(mc, 13 /* LeaveGroup */, 0, 1);
    rd_kafka_mock_group_initial_rebalance_delay_ms(mc, 0);

    int first = 1;
    if (argc > 2 && strcmp(argv[1], "-a") == 0) {
        char *ports = argv[2];
        for (int id = 1; id <= 3 && ports && *ports; id++, ports = strchr(ports, ',') ? strchr(ports, ',') + 1 : NULL)
            rd_kafka_mock_broker_set_host_port(mc, id, "127.0.0.1", atoi(ports));
        first = 3;
    }
    printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
    fflush(stdout);
    for (int i = first; i < argc; i++) create(mc, argv[i]);

    pthread_t reader;
    pthread_create(&reader, NULL, read_topics, mc);
    int sig;
    sigwait(&stop, &sig); /* serve until SIGTERM or SIGINT, whatever stdin does */
    (void)rk; /* nothing to flush or hand over: the cluster lives in this process's memory */
    return 0;
}
