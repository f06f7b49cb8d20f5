package dev.tidings.cli.up;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Collectors;

import dev.tidings.cli.workspace.CliException;
import dev.tidings.router.routes.InvalidRoutesException;
import dev.tidings.router.routes.RoutesParser;

/** The routes file of {@code tidings up --routes}, checked before anything starts. */
final class RoutesCheck {

    private RoutesCheck() {
    }

    /** The file's absolute path once it reads as valid routes; every problem otherwise. */
    static Path checked(Path routes) {
        Path file = routes.toAbsolutePath().normalize();
        try {
            RoutesParser.parse(file);
            return file;
        }
        catch (IOException ex) {
            throw new CliException("cannot read the routes file " + routes + ": " + ex.getMessage(), 2);
        }
        catch (InvalidRoutesException ex) {
            throw new CliException("the routes file has " + ex.problems().size() + " problem(s); nothing was started:"
                    + System.lineSeparator() + ex.problems().stream().map(p -> "  " + routes + ":" + p)
                            .collect(Collectors.joining(System.lineSeparator())), 2);
        }
    }
}
