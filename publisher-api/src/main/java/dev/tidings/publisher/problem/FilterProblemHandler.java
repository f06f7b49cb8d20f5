package dev.tidings.publisher.problem;

import java.net.URI;
import java.util.List;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Answers the problems raised before a request reaches a controller, in the web filters: a
 * missing or bad token (401, 403), a body over the size limit (413), or any other
 * {@link ProblemException} or Spring {@link ErrorResponse}. They get the same
 * {@code application/problem+json} and headers as {@link ProblemHandler}'s, written with the
 * application's own codecs. Ordered before Spring Boot's error handler; anything else passes on
 * to it.
 */
@Component
@Order(-3)
class FilterProblemHandler implements WebExceptionHandler {

    private final ServerResponse.Context codecs;

    FilterProblemHandler(ServerCodecConfigurer codecs) {
        List<HttpMessageWriter<?>> writers = codecs.getWriters();
        this.codecs = new ServerResponse.Context() {
            @Override
            public List<HttpMessageWriter<?>> messageWriters() {
                return writers;
            }

            @Override
            public List<ViewResolver> viewResolvers() {
                return List.of();
            }
        };
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ProblemDetail problem;
        ServerResponse.BodyBuilder response;
        if (ex instanceof ProblemException || BodyTooLargeException.in(ex) != null) {
            problem = Problems.of(ex);
            HttpHeaders headers = Problems.headers(problem);
            response = ServerResponse.status(problem.getStatus()).headers(h -> h.addAll(headers));
        }
        else if (ex instanceof ErrorResponse error) {
            problem = error.getBody();
            response = ServerResponse.status(error.getStatusCode()).headers(h -> h.addAll(error.getHeaders()));
        }
        else {
            return Mono.error(ex);
        }
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        if (problem.getInstance() == null) {
            problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        }
        return response.contentType(MediaType.APPLICATION_PROBLEM_JSON).bodyValue(problem)
                .flatMap(written -> written.writeTo(exchange, codecs));
    }
}
