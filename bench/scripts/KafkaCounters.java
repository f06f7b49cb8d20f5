import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Prints the Kafka request counters of running JVMs, one {@code LABEL KIND NAME COUNT} line each, from their JMX
 * agents (started by {@code requests.sh} with {@code jcmd ManagementAgent.start}): for a broker, the requests it
 * served by type (all versions summed) and, per topic, the partitions named in produce and fetch requests and the
 * records appended; for a client process, the requests each of its Kafka clients sent and the fetches among them,
 * by client id (a Kafka Streams client's process UUID left out, so that the names of two runs match).
 * JDK only: {@code java KafkaCounters.java LABEL=PORT...}.
 */
public final class KafkaCounters {

    private static final Pattern STREAMS_UUID = Pattern.compile("-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: java KafkaCounters.java LABEL=PORT...");
            System.exit(2);
        }
        for (String arg : args) {
            String label = arg.substring(0, arg.indexOf('='));
            String port = arg.substring(arg.indexOf('=') + 1);
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
            try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
                Map<String, Double> counters = new TreeMap<>();
                MBeanServerConnection server = connector.getMBeanServerConnection();
                add(server, counters, "kafka.network:type=RequestMetrics,name=RequestsPerSec,*", "Count",
                        name -> "broker-requests " + name.getKeyProperty("request"));
                for (String metric : new String[] {"TotalProduceRequestsPerSec", "TotalFetchRequestsPerSec",
                        "MessagesInPerSec"}) {
                    add(server, counters, "kafka.server:type=BrokerTopicMetrics,name=" + metric + ",topic=*", "Count",
                            name -> "broker-" + metric + " " + name.getKeyProperty("topic"));
                }
                add(server, counters, "kafka.producer:type=producer-metrics,client-id=*", "request-total",
                        name -> "client-requests " + client(name));
                add(server, counters, "kafka.consumer:type=consumer-metrics,client-id=*", "request-total",
                        name -> "client-requests " + client(name));
                add(server, counters, "kafka.consumer:type=consumer-fetch-manager-metrics,client-id=*", "fetch-total",
                        name -> "client-fetches " + client(name));
                counters.forEach((key, count) -> System.out.printf("%s %s %.0f%n", label, key, count));
            }
        }
    }

    private static String client(ObjectName name) {
        Matcher uuid = STREAMS_UUID.matcher(name.getKeyProperty("client-id"));
        return uuid.replaceAll("");
    }

    private static void add(MBeanServerConnection server, Map<String, Double> counters, String pattern,
            String attribute, java.util.function.Function<ObjectName, String> key) throws Exception {
        for (ObjectName name : server.queryNames(new ObjectName(pattern), null)) {
            Object value = server.getAttribute(name, attribute);
            counters.merge(key.apply(name), ((Number) value).doubleValue(), Double::sum);
        }
    }
}
