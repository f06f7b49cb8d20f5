package dev.tidings.publisher.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** CORS for browser callers of the API, from {@code tidings.publisher.cors-allowed-origins} (none by default). */
@Configuration(proxyBeanMethods = false)
class CorsConfiguration implements WebMvcConfigurer {

    private final PublisherProperties properties;

    CorsConfiguration(PublisherProperties properties) {
        this.properties = properties;
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
