package dev.tidings.schema;

/**
 * A notification that breaks {@link NotificationRules}, refused before anything is written; names
 * the field as the publisher API's problems do ({@code event}, {@code target.ids[2]}, {@code payload}).
 */
public class InvalidNotificationException extends IllegalArgumentException {

    private final String field;

    public InvalidNotificationException(String field, String message) {
        super(field + " " + message);
        this.field = field;
    }

    /** The field at fault. */
    public String field() {
        return field;
    }
}
