package dev.tidings.common.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who a verified token speaks for: the user id ({@code sub}), the groups it belongs to
 * ({@code groups}) and what it may do ({@code scope}).
 *
 * @param userId the {@code sub} claim
 * @param groups the {@code groups} claim, empty when absent
 * @param scopes the space-separated {@code scope} claim, split
 * @param expiresAt when the token stops being accepted: its {@code exp} claim plus the verifier's
 *     tolerated clock skew; a session opened with it is closed then
 */
public record Principal(String userId, Set<String> groups, Set<String> scopes, Instant expiresAt) {

    /** Scope needed to publish notifications. */
    public static final String SCOPE_PUBLISH = "notifications:publish";

    /** Scope needed to replay notifications. */
    public static final String SCOPE_REPLAY = "notifications:replay";

    /** Scope needed to erase a user's inbox (history and read state) on a gateway. */
    public static final String SCOPE_INBOX_ADMIN = "inbox:admin";

    public Principal {
        groups = Set.copyOf(groups);
        scopes = Set.copyOf(scopes);
    }

    /** Whether the token grants the scope. */
    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
