package dev.tidings.cli.workspace;

/**
 * A failure the user can act on: its message is printed as is, without a stack trace, and the
 * command exits with {@link #exitCode()}.
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(String message) {
        this(message, 1);
    }

    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = 1;
    }

    /** The process exit code this failure maps to. */
    public int exitCode() {
        return exitCode;
    }
}
