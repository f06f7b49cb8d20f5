package dev.tidings.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void makesClusterIdsKafkaAccepts16BytesBase64UrlNeverStartingWithADash() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            String id = LocalKafkaBroker.newClusterId();
            assertThat(id).hasSize(22).doesNotStartWith("-").matches("[A-Za-z0-9_-]+");
            assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
            ids.add(id);
        }
        assertThat(ids).hasSize(500);
    }

    @Test
    void formatsADataDirectoryOnlyUntilItHoldsMetaProperties() throws Exception {
        assertThat(LocalKafkaBroker.isFormatted(dataDir)).isFalse();

        Files.writeString(dataDir.resolve("meta.properties"), "node.id=1\n");

        assertThat(LocalKafkaBroker.isFormatted(dataDir)).isTrue();
    }
}
