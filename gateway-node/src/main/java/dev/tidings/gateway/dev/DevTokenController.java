package dev.tidings.gateway.dev;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tidings.common.auth.JwtSettings;
import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /dev/token?user=alice&groups=Class:201901&scope=notifications:publish[&ttl=SECONDS]}: issues a
 * token signed with the node's HS256 secret, for the demo page. Exists only when
 * {@code tidings.dev.token-endpoint=true} (which {@code ./tidings up} sets); production never
 * enables it, since it hands out tokens to anyone who asks.
 */
@RestController
@ConditionalOnProperty(name = "tidings.dev.token-endpoint", havingValue = "true")
class DevTokenController {

    private static final Set<String> GRANTABLE = Set.of(Principal.SCOPE_PUBLISH, Principal.SCOPE_REPLAY);

    private final TokenIssuer issuer;

    DevTokenController(JwtSettings jwtSettings) {
        String secret = jwtSettings.primarySecret();
        if (secret == null) {
            throw new IllegalStateException("tidings.dev.token-endpoint needs an HS256 secret (tidings.jwt.secret)");
        }
        this.issuer = new TokenIssuer(secret);
    }

    @GetMapping("/dev/token")
    ResponseEntity<Map<String, String>> token(@RequestParam String user,
            @RequestParam(defaultValue = "") String groups, @RequestParam(defaultValue = "") String scope,
            @RequestParam(defaultValue = "43200") long ttl) {
        if (user.isBlank() || user.length() > 64) {
            return ResponseEntity.badRequest().body(Map.of("error", "user must be 1-64 characters"));
        }
        if (ttl < 30 || ttl > 43200) {
            return ResponseEntity.badRequest().body(Map.of("error", "ttl must be 30 to 43200 seconds"));
        }
        List<String> groupList = Arrays.stream(groups.split(",")).map(String::trim).filter(g -> !g.isEmpty()).toList();
        List<String> scopes = Arrays.stream(scope.split("[ ,]")).filter(GRANTABLE::contains).toList();
        return ResponseEntity.ok(Map.of("token", issuer.issue(user, groupList, scopes, Duration.ofSeconds(ttl))));
    }
}
