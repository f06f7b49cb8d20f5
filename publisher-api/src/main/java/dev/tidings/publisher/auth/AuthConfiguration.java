package dev.tidings.publisher.auth;

import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.JwtVerifier;
import dev.tidings.common.auth.Principal;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/** Wires token verification into Spring MVC: the interceptor and a {@link Principal} argument resolver. */
@Configuration(proxyBeanMethods = false)
class AuthConfiguration implements WebMvcConfigurer {

    private final JwtVerifier verifier;

    AuthConfiguration(Environment environment) {
        this.verifier = new JwtVerifier(JwtSettings.from(environment::getProperty));
    }

    @Bean
    JwtVerifier jwtVerifier() {
        return verifier;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new BearerTokenInterceptor(new VerifiedTokens(verifier))).addPathPatterns("/api/**");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new HandlerMethodArgumentResolver() {
            @Override
            public boolean supportsParameter(MethodParameter parameter) {
                return parameter.getParameterType() == Principal.class;
            }

            @Override
            public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav,
                    NativeWebRequest request, WebDataBinderFactory binders) {
                Object principal = request.getAttribute(BearerTokenInterceptor.PRINCIPAL,
                        RequestAttributes.SCOPE_REQUEST);
                if (principal == null) {
                    throw new IllegalStateException("handler takes a Principal but has no @RequiresScope");
                }
                return principal;
            }
        });
    }
}
