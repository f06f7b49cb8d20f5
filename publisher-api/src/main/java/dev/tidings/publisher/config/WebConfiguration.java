package dev.tidings.publisher.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.config.CorsRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * The API's WebFlux settings: CORS for browser callers, from
 * {@code tidings.publisher.cors-allowed-origins} (none by default), and the decoders' in-memory
 * limit, set just above {@code tidings.publisher.max-body-bytes} so that the body-size filter, which
 * answers a clear 413, is what enforces it (the codecs' default of 256 KiB would refuse smaller
 * bodies first).
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebFluxConfigurer {

    private final PublisherProperties properties;

    WebConfiguration(PublisherProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
        configurer.defaultCodecs().maxInMemorySize(properties.maxBodyBytes() + 1);
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        if (properties.corsAllowedOrigins().isEmpty()) {
            return;
        }
        registry.addMapping("/api/**")
                .allowedOriginPatterns(properties.corsAllowedOrigins().toArray(String[]::new))
                .allowedMethods("POST", "OPTIONS")
                .allowedHeaders("Authorization", "Content-Type")
                .exposedHeaders("Retry-After")
                .maxAge(3600);
    }
}
