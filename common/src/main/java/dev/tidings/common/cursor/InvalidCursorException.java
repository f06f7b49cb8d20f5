package dev.tidings.common.cursor;

/** A cursor string that is not one this version of Tidings wrote. */
public class InvalidCursorException extends Exception {

    public InvalidCursorException(String message) {
        super(message);
    }
}
