package dev.tidings.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;

/** Why a connection is closed, what its client is told, and what the node's log says. */
class CloseReasonTest {

    final Logger logger = (Logger) LoggerFactory.getLogger(CloseReason.class);
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Level levelBefore;

    @BeforeEach
    void listen() {
        levelBefore = logger.getLevel();
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logged);
        logger.setLevel(levelBefore);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            TOKEN_EXPIRED     | 1008 | token expired
            TOKEN_LIFETIME    | 1008 | token honoured for tidings.gateway.max-token-lifetime: reconnect
            TOO_MANY_SESSIONS | 1008 | too many sessions for this user
            NODE_FULL         | 1013 | node is full
            SHUTTING_DOWN     | 1013 | node shutting down, reconnect elsewhere
            BINARY_FRAME      | 1003 | binary frames not supported
            FRAME_TOO_BIG     | 1009 | frame over the inbound limit
            IDLE              | 1001 | idle timeout
            TOO_SLOW          | 4408 | client too slow
            """)
    void eachReasonIsSentWithTheCodeAndTextTheProtocolDocuments(CloseReason reason, int code, String text) {
        assertThat(reason.status()).isEqualTo(new CloseStatus(code, text));
    }

    @ParameterizedTest
    @EnumSource(CloseReason.class)
    void everyReasonFitsInACloseFrameWithACodeAClientMayReceive(CloseReason reason) {
        int code = reason.status().getCode();

        // RFC 6455 §5.5 and §7.4: a control frame carries at most 125 bytes, two of them the code;
        // 1005, 1006 and 1015 are never sent on the wire.
        assertThat(reason.status().getReason().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(123);
        assertThat(code).isBetween(1000, 4999).isNotIn(1004, 1005, 1006, 1015);
    }

    @Test
    void aSlowClientsCutIsLoggedAtInfoWithWhatHappened() {
        logger.setLevel(Level.INFO);

        CloseStatus status = CloseReason.TOO_SLOW.closing("c0ffee", "alice", "3 frames / 4200 bytes waiting");

        assertThat(status.getCode()).isEqualTo(4408);
        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getFormattedMessage()).isEqualTo(
                    "Session c0ffee of alice closed with 4408 (client too slow): 3 frames / 4200 bytes waiting");
        });
    }

    @Test
    void routineClosesAreLoggedOnlyAtDebugAndStillAnswerTheirStatus() {
        logger.setLevel(Level.INFO);

        CloseStatus status = CloseReason.IDLE.closing("c0ffee", "alice", "");

        assertThat(status).isEqualTo(new CloseStatus(1001, "idle timeout"));
        assertThat(logged.list).isEmpty();

        logger.setLevel(Level.DEBUG);
        CloseReason.IDLE.closing("c0ffee", "alice", "");

        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("Session c0ffee of alice closed with 1001 (idle timeout)");
    }
}
