package dev.tidings.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * One HTTP answer of the publisher, whatever its status.
 *
 * @param status the HTTP status
 * @param retryAfter its {@code Retry-After}, read, or {@code null}
 * @param body its body, empty when it had none
 */
record Answer(int status, @Nullable Duration retryAfter, byte[] body) {

    boolean successful() {
        return status >= 200 && status < 300;
    }
}
