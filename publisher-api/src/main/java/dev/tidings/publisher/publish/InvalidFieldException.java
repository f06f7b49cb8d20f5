package dev.tidings.publisher.publish;

/** A request field that is missing or invalid (422), naming the field by its JSON path. */
public class InvalidFieldException extends RuntimeException {

    private final String field;

    public InvalidFieldException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** JSON path of the field, e.g. {@code target.ids[0]}. */
    public String field() {
        return field;
    }
}
