package dev.tidings.gateway.ws;

import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.JwtVerifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Token verification from {@code tidings.jwt.*}. */
@Configuration(proxyBeanMethods = false)
class AuthConfiguration {

    @Bean
    JwtVerifier jwtVerifier(Environment environment) {
        return new JwtVerifier(JwtSettings.from(environment::getProperty));
    }
}
