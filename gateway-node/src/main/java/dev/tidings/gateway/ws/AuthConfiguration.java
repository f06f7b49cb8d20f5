package dev.tidings.gateway.ws;

import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.JwtVerifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Token settings, read once from {@code tidings.jwt.*}, and the verifier built from them. */
@Configuration(proxyBeanMethods = false)
class AuthConfiguration {

    @Bean
    JwtSettings jwtSettings(Environment environment) {
        return JwtSettings.from(environment::getProperty);
    }

    @Bean
    JwtVerifier jwtVerifier(JwtSettings jwtSettings) {
        return new JwtVerifier(jwtSettings);
    }
}
