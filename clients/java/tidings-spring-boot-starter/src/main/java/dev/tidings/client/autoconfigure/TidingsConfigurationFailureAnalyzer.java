package dev.tidings.client.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Tells what is wrong with {@code tidings.publisher.*}, and what to do, when it stops start-up. */
final class TidingsConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<TidingsConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TidingsConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
