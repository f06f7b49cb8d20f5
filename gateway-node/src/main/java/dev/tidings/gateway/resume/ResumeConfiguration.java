package dev.tidings.gateway.resume;

import java.util.List;

import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.cursor.CursorCodec;
import dev.tidings.gateway.config.GatewayProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The node's position, its recovery window and the codec that signs and checks cursors. */
@Configuration(proxyBeanMethods = false)
class ResumeConfiguration {

    /**
     * Signs with {@code tidings.gateway.cursor-keys}; without them, with a key derived from the
     * shared token secret. A node that has neither cannot issue cursors other nodes accept: it
     * refuses to start.
     */
    @Bean
    CursorCodec cursorCodec(GatewayProperties properties, JwtSettings jwtSettings) {
        if (!properties.cursorKeys().isEmpty()) {
            return CursorCodec.ofSecrets(properties.cursorKeys());
        }
        String sharedSecret = jwtSettings.primarySecret();
        if (sharedSecret == null) {
            throw new IllegalStateException("tidings.gateway.cursor-keys (TIDINGS_CURSOR_KEYS) must be set when tokens "
                    + "are not verified with a shared secret (tidings.jwt.secret): every node needs the same cursor keys");
        }
        return new CursorCodec(List.of(CursorCodec.deriveKey(sharedSecret)));
    }

    @Bean
    NodePosition nodePosition(CursorCodec cursorCodec) {
        return new NodePosition(cursorCodec);
    }

    @Bean
    RecoveryWindow recoveryWindow(GatewayProperties properties) {
        return new RecoveryWindow(properties.recoveryWindowBytes(), properties.recoveryWindowAge());
    }
}
