package dev.tidings.common.warmup;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/** Where a service's warm-up calls the service itself. */
public final class SelfAddress {

    private SelfAddress() {
    }

    /**
     * {@code scheme://host:port} of the service's own port, at the address it listens on ({@code server.address}
     * when that is one address, else loopback); {@code null} when the service serves TLS itself
     * ({@code server.ssl.enabled}), which the warm-ups do not speak.
     *
     * @param scheme {@code http} or {@code ws}
     */
    public static @Nullable URI of(Environment environment, String scheme, int port) {
        if (environment.getProperty("server.ssl.enabled", Boolean.class, false)) {
            return null;
        }
        String address = environment.getProperty("server.address", "");
        String host = address.isBlank() || address.equals("0.0.0.0") || address.equals("::") ? "127.0.0.1" : address;
        return URI.create(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }
}
