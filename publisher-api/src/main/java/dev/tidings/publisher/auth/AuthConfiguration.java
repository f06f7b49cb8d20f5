package dev.tidings.publisher.auth;

import dev.tidings.common.auth.JwtProperties;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.Principal;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Wires token verification into Spring WebFlux: the verifier, its cache, and a {@link Principal} argument resolver. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JwtProperties.class)
class AuthConfiguration implements WebFluxConfigurer {

    private final JwtVerifier verifier;

    AuthConfiguration(JwtProperties jwt) {
        this.verifier = new JwtVerifier(jwt.settings());
    }

    @Bean
    VerifiedTokens verifiedTokens() {
        return new VerifiedTokens(verifier);
    }

    @Override
    public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
        configurer.addCustomResolver(new HandlerMethodArgumentResolver() {
            @Override
            public boolean supportsParameter(MethodParameter parameter) {
                return parameter.getParameterType() == Principal.class;
            }

            @Override
            public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext context,
                    ServerWebExchange exchange) {
                Principal principal = RequestPrincipal.of(exchange);
                if (principal == null) {
                    return Mono.error(new IllegalStateException("handler takes a Principal but has no @RequiresScope"));
                }
                return Mono.just(principal);
            }
        });
    }
}
