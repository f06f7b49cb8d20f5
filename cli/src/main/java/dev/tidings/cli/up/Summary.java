package dev.tidings.cli.up;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.tidings.cli.workspace.DevSecret;

/** The text {@code tidings up} prints once everything is healthy: where each service is, the secret, and what to try. */
final class Summary {

    private static final String NL = System.lineSeparator();

    private Summary() {
    }

    /**
     * The summary text.
     *
     * @param plan what runs
     * @param pids process id by service name ({@code kafka} absent for an external broker)
     * @param secret the JWT secret the services use
     * @param secretFile how to show the dev secret file, or {@code null} when the secret came from the environment
     * @param logsDir how to show the logs directory
     * @param cli how to invoke the CLI from the user's shell, e.g. {@code ./tidings}
     * @param cliPid this CLI's process id, which SIGTERM stops like Ctrl-C
     */
    static String render(ClusterPlan plan, Map<String, Long> pids, DevSecret secret, @Nullable String secretFile,
            String logsDir, String cli, long cliPid) {
        StringBuilder text = new StringBuilder();
        ServicePlan firstGateway = plan.gateways().get(0);
        ServicePlan otherGateway = plan.gateways().size() > 1 ? plan.gateways().get(1) : firstGateway;
        text.append(NL).append("Tidings is up: ")
                .append(plan.kafkaPort() != null ? "a Kafka broker, " : "")
                .append("the publisher API and ").append(plan.gateways().size())
                .append(plan.gateways().size() == 1 ? " gateway" : " gateways")
                .append(", each its own process (logs in ").append(logsDir).append("/).").append(NL).append(NL);
        if (plan.kafkaPort() != null) {
            row(text, "Kafka", plan.bootstrapServers(), pids.get("kafka"), "");
        }
        else {
            row(text, "Kafka", plan.bootstrapServers(), null, "external (KAFKA_BOOTSTRAP_SERVERS)");
        }
        row(text, "Publisher API", plan.publisher().baseUrl() + "/api/v1/notifications",
                pids.get(plan.publisher().name()), "");
        for (ServicePlan gateway : plan.gateways()) {
            row(text, "Gateway " + gateway.name(), "ws://127.0.0.1:" + gateway.port() + "/ws",
                    pids.get(gateway.name()), "demo page " + gateway.baseUrl() + "/");
        }
        if (plan.router() != null) {
            row(text, "Router", plan.router().baseUrl() + "/actuator/prometheus", pids.get(plan.router().name()),
                    "routes " + plan.router().environment().get(ClusterPlan.ROUTES_FILE_ENV));
        }
        text.append(NL);
        if (secretFile != null) {
            text.append(String.format("  %-15s %s%n  %-15s (kept in %s so tokens stay valid across restarts;%n"
                    + "  %-15s  export TIDINGS_JWT_SECRET=... to use your own)%n", "JWT secret", secret.value(), "",
                    secretFile, ""));
        }
        else {
            text.append(String.format("  %-15s from TIDINGS_JWT_SECRET in your environment%n", "JWT secret"));
        }
        List<String> tryIt = List.of(
                "# a WebSocket client token for alice, member of Class:201901",
                "TOKEN=$(" + cli + " token --user alice --groups Class:201901)",
                "# connect (or open the demo page " + firstGateway.baseUrl() + "/)",
                "npx wscat -c \"ws://127.0.0.1:" + firstGateway.port() + "/ws?access_token=$TOKEN\"",
                "# publish to the group through the CLI ...",
                cli + " publish --group Class:201901 --event grade.published --payload '{\"course\":\"math\",\"grade\":\"A\"}'",
                "# ... or with curl and a publish-scoped token",
                "PUB=$(" + cli + " token --user ops --scope notifications:publish)",
                "curl -sS -X POST " + plan.publisher().baseUrl() + "/api/v1/notifications \\",
                "  -H \"Authorization: Bearer $PUB\" -H 'Content-Type: application/json' \\",
                "  -d '{\"target\":{\"type\":\"group\",\"ids\":[\"Class:201901\"]},\"event\":\"grade.published\","
                        + "\"payload\":{\"grade\":\"A\"}}'");
        text.append(NL).append("Try it, in another terminal:").append(NL);
        tryIt.forEach(line -> text.append("  ").append(line).append(NL));
        Long firstGatewayPid = pids.get(firstGateway.name());
        if (plan.gateways().size() > 1 && firstGatewayPid != null) {
            text.append("  # kill a node: its clients resume on ").append(otherGateway.name())
                    .append(" with their cursor").append(NL)
                    .append("  kill ").append(firstGatewayPid).append(NL);
        }
        text.append(NL).append("Press Ctrl-C (or: kill ").append(cliPid).append(") to stop everything.").append(NL);
        return text.toString();
    }

    private static void row(StringBuilder text, String what, String where, @Nullable Long pid, String note) {
        text.append(String.format("  %-15s %-44s %-11s %s", what, where, pid != null ? "pid " + pid : "", note)
                .stripTrailing()).append(NL);
    }
}
