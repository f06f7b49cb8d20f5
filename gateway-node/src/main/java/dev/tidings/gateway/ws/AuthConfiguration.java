package dev.tidings.gateway.ws;

import dev.tidings.common.auth.JwtProperties;
import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.JwtVerifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Token settings, bound once from {@code tidings.jwt.*}, and the verifier built from them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JwtProperties.class)
class AuthConfiguration {

    @Bean
    JwtSettings jwtSettings(JwtProperties jwt) {
        return jwt.settings();
    }

    @Bean
    JwtVerifier jwtVerifier(JwtSettings jwtSettings) {
        return new JwtVerifier(jwtSettings);
    }
}
