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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static volatile sig_atomic_t stop = 0;
static void on_signal(int sig) { (void)sig; stop = 1; }

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

int main(int argc, char **argv) {
    char err[512];
    prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive the test run that started us */
    struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: getline returns on SIGTERM */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", err, sizeof(err)); /* errors only */
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err)); /* threads block signals */
    if (!rk) { fprintf(stderr, "kafka-mock: %s\n", err); return 1; }
    rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, 3);
    if (!mc) { fprintf(stderr, "kafka-mock: cannot create the mock cluster\n"); return 1; }
    /* kafkajs sends admin and InitProducerId requests to the controller; the default id 0 is no broker. */
    rd_kafka_mock_set_controller_id(mc, 1);
    /* LeaveGroup v3+ from non-librdkafka clients trips a mock bug; v0-1 is what kafkajs needs. */
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

    char *line = NULL;
    size_t size = 0;
    while (!stop && getline(&line, &size, stdin) != -1) create(mc, line);
    while (!stop) sleep(1); /* stdin closed: keep serving until told to stop */
    free(line);
    rd_kafka_mock_cluster_destroy(mc);
    rd_kafka_destroy(rk);
    return 0;
}
