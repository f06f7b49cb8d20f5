package dev.tidings.common.auth;

import org.jspecify.annotations.Nullable;

/** The token of an {@code Authorization: Bearer <token>} header (RFC 6750), the scheme matched case-insensitively. */
public final class BearerTokens {

    private static final String SCHEME = "Bearer ";

    private BearerTokens() {
    }

    /** The header's token, trimmed; {@code null} for no header, another scheme or an empty token. */
    public static @Nullable String fromAuthorization(@Nullable String header) {
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        String token = header.substring(SCHEME.length()).trim();
        return token.isEmpty() ? null : token;
    }
}
