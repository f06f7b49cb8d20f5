package dev.tidings.cli.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tidings.cli.CliRunner;

class RoutesCommandTest {

    @TempDir
    Path home;

    @Test
    void aValidFileIsReportedWithItsRoutesAndExitsZero() throws Exception {
        Path file = write("""
                routes:
                  - name: grades
                    topic: school.grades
                    event: grade.published
                    target: {type: user, ids: "$.studentId"}
                """);

        CliRunner.Result result = CliRunner.in(home).run("routes", "check", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains(file + ": 1 route(s), valid").contains("grades")
                .contains("tidings.router.grades.dlq");
    }

    @Test
    void everyMistakeIsPrintedAsFileLineColumnAndTheExitStatusIsOne() throws Exception {
        Path file = write("""
                routes:
                  - name: grades
                    topic: school.grades
                    format: avro-confluent
                    event: grade.published
                    target: {type: user, ids: "$.studentId["}
                    colour: blue
                """);

        CliRunner.Result result = CliRunner.in(home).run("routes", "check", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err())
                .contains(file + ":4:13: format avro-confluent needs a top-level 'schema-registry' with a 'url'")
                .contains(file + ":6:31: 'ids' is not a valid JSONPath")
                .contains(file + ":7:5: unknown key 'colour' in a route")
                .contains("3 problem(s) in " + file);
    }

    @Test
    void aMissingFileExitsTwo() {
        CliRunner.Result result = CliRunner.in(home).run("routes", "check", home.resolve("nope.yaml").toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("cannot read");
    }

    private Path write(String yaml) throws Exception {
        Path file = home.resolve("routes.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
