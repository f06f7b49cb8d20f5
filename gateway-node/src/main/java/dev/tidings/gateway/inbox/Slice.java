package dev.tidings.gateway.inbox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What one gateway holds of an inbox: the listed items of some addresses, newest first, and the user's
 * read marks when it holds the user's address. Gateways send slices to each other in the binary form of
 * {@link #write}/{@link #read}.
 *
 * @param items per address routing key, its listed items, newest first
 * @param marks the user's read marks; {@code null} when this slice has not the user's address
 */
record Slice(Map<String, List<StoredItem>> items, @Nullable Marks marks) {

    /**
     * Which items of each address a slice carries with their frames: the newest {@code limit} older than
     * {@code before} (all when null). A merged page of {@code limit} items older than {@code before} has
     * only such items, whichever addresses they come from; the others are carried without frames, to be
     * counted and merged. So a page costs its own items' frames, not the whole inbox's.
     */
    record Framed(int limit, byte @Nullable [] before) {

        /** Every item with its frame. */
        static final Framed ALL = new Framed(Integer.MAX_VALUE, null);

        /** No frames: for counting and marking. */
        static final Framed NONE = new Framed(0, null);

        boolean covers(byte[] position) {
            return before == null || Arrays.compareUnsigned(position, before) < 0;
        }
    }

    /**
     * A user's read marks.
     *
     * @param ids the notification ids marked read one by one
     * @param allUpTo everything published at or before this time is read; {@code -1}: no such mark
     */
    record Marks(Set<String> ids, long allUpTo) {

        static final Marks NONE = new Marks(Set.of(), -1);

        boolean read(StoredItem item) {
            return item.publishedAt() <= allUpTo || ids.contains(item.id());
        }

        Marks plus(Set<String> more, long allUpTo) {
            Set<String> all = new HashSet<>(ids);
            all.addAll(more);
            return new Marks(all, Math.max(this.allUpTo, allUpTo));
        }
    }

    byte[] write() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(items.size());
            for (Map.Entry<String, List<StoredItem>> address : items.entrySet()) {
                out.writeUTF(address.getKey());
                out.writeInt(address.getValue().size());
                for (StoredItem item : address.getValue()) {
                    writeBytes(out, item.position());
                    out.writeLong(item.expiresAt());
                    writeBytes(out, item.frame());
                }
            }
            out.writeBoolean(marks != null);
            if (marks != null) {
                out.writeLong(marks.allUpTo());
                out.writeInt(marks.ids().size());
                for (String id : marks.ids()) {
                    out.writeUTF(id);
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    static Slice read(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int addresses = in.readInt();
            Map<String, List<StoredItem>> items = new LinkedHashMap<>();
            for (int a = 0; a < addresses; a++) {
                String key = in.readUTF();
                int count = in.readInt();
                List<StoredItem> list = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    byte[] position = readBytes(in);
                    long expiresAt = in.readLong();
                    list.add(new StoredItem(position, expiresAt, readBytes(in)));
                }
                items.put(key, list);
            }
            Marks marks = null;
            if (in.readBoolean()) {
                long allUpTo = in.readLong();
                int count = in.readInt();
                Set<String> ids = new HashSet<>(count * 2);
                for (int i = 0; i < count; i++) {
                    ids.add(in.readUTF());
                }
                marks = new Marks(ids, allUpTo);
            }
            return new Slice(items, marks);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }
}
