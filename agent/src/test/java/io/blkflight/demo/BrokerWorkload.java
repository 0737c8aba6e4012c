package io.blkflight.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A message broker doing what brokers do: a single Kafka node in KRaft mode (broker and controller in this JVM),
 * its log directory formatted with a fresh cluster id as {@code kafka-storage format} does, receives records from a
 * producer. Kafka's default flush settings never fsync a log segment: its request handler threads append records to
 * the segment file through the page cache and the kernel's flusher threads write them to the disk. After producing,
 * the broker keeps running for a while (the caller lowers {@code vm.dirty_expire_centisecs} so that the flushers come
 * within it), then stops cleanly. Arguments: the log directory, MiB of records, [seconds to wait before stopping],
 * [{@code sync}: call sync(1) before stopping, as an operator would].
 */
public final class BrokerWorkload {
    /** The topic the records go to (one partition: one segment file at a time). */
    public static final String TOPIC = "segments";
    private static final int RECORD_BYTES = 1000;

    private BrokerWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path logDir = Path.of(args[0]);
        int mebibytes = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int waitSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        boolean sync = args.length > 3 && args[3].equals("sync");
        Files.createDirectories(logDir);

        int brokerPort = freePort();
        int controllerPort = freePort();
        Properties config = new Properties();
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", "1");
        config.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
        config.setProperty("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        config.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        config.setProperty("controller.listener.names", "CONTROLLER");
        config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.setProperty("inter.broker.listener.name", "PLAINTEXT");
        config.setProperty("log.dirs", logDir.toString());
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("group.initial.rebalance.delay.ms", "0");

        long started = System.nanoTime();
        format(logDir);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
        server.startup();
        long produced;
        try {
            String bootstrap = "localhost:" + brokerPort;
            try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            produce(bootstrap, (long) mebibytes << 20);
            produced = System.nanoTime();
            Thread.sleep(waitSeconds * 1000L);
            if (sync) {
                new ProcessBuilder("sync").inheritIO().start().waitFor();
            }
        } finally {
            server.shutdown();
            server.awaitShutdown();
        }
        System.out.printf("broker received %d MiB in %d ms; waited %d s%s; stopped%n", mebibytes,
                (produced - started) / 1_000_000, waitSeconds, sync ? " and synced" : "");
    }

    /** What {@code kafka-storage format -t ID} does for this node: meta.properties and the bootstrap metadata. */
    private static void format(Path logDir) throws Exception {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try {
            new Formatter().setPrintStream(new PrintStream(said, true, StandardCharsets.UTF_8))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .addDirectory(logDir.toString())
                    .setMetadataLogDirectory(logDir.toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("formatting " + logDir + " failed: " + said.toString(StandardCharsets.UTF_8), e);
        }
    }

    private static void produce(String bootstrap, long bytes) throws Exception {
        Properties config = new Properties();
        config.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 << 10));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            SplittableRandom random = new SplittableRandom(18);
            for (long sent = 0; sent < bytes; sent += RECORD_BYTES) {
                byte[] value = new byte[RECORD_BYTES];
                random.nextBytes(value);
                producer.send(new ProducerRecord<>(TOPIC, value));
            }
            producer.flush();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
