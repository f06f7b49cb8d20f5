package dev.tidings.publisher.limits;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.publish.BodyTooLargeException;
import dev.tidings.publisher.publish.PayloadTooLargeException;
import dev.tidings.publisher.publish.Problems;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Enforces {@code tidings.publisher.max-body-bytes} on every request, before authentication and
 * before anything parses the body:
 * <ul>
 *   <li>a declared {@code Content-Length} over the limit is answered 413 at once, unread;</li>
 *   <li>any other body (chunked, or lying about its length) is counted as it is read, and reading
 *       past the limit fails with {@link BodyTooLargeException}, which the problem handler turns
 *       into the same 413. So no more than the limit (plus one read buffer) is ever read into memory.</li>
 * </ul>
 *
 * <p>Thread-safe: stateless; each request gets its own counting stream.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BodySizeLimitFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(BodySizeLimitFilter.class);

    private final long limit;
    private final ObjectMapper json;

    BodySizeLimitFilter(PublisherProperties properties, ObjectMapper json) {
        this.limit = properties.maxBodyBytes();
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            log.debug("Refused a {}-byte body on {} {}", declared, request.getMethod(), request.getRequestURI());
            writeTooLarge(request, response, "the request body is " + declared + " bytes; the limit is " + limit
                    + " (tidings.publisher.max-body-bytes)");
            return;
        }
        try {
            chain.doFilter(new LimitedRequest(request, limit), response);
        }
        catch (IOException | ServletException | RuntimeException ex) {
            // Normally the problem handler answers; this catches a body read outside Spring MVC's converters.
            BodyTooLargeException tooLarge = BodyTooLargeException.in(ex);
            if (tooLarge == null || response.isCommitted()) {
                throw ex;
            }
            response.resetBuffer();
            writeTooLarge(request, response, tooLarge.getMessage());
        }
    }

    private void writeTooLarge(HttpServletRequest request, HttpServletResponse response, String detail)
            throws IOException {
        ProblemDetail problem = Problems.of(new PayloadTooLargeException(detail));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", String.valueOf(problem.getType()));
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", request.getRequestURI());
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }

    /** The request with its body stream (and reader) counting bytes against the limit. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long limit;
        private @Nullable LimitedInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedInputStream(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    /** Counts bytes read and fails once more than {@code limit} were read. Not thread-safe (one request). */
    static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final long limit;
        private long read;

        LimitedInputStream(ServletInputStream delegate, long limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLargeException {
            read += n;
            if (read > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }

        @Override
        public int available() throws IOException {
            return delegate.available();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
