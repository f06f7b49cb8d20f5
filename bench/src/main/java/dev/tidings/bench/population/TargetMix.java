package dev.tidings.bench.population;

import java.util.SplittableRandom;

/**
 * Relative weights of user, group and broadcast notifications in a mixed plan, written
 * {@code USER:GROUP:BROADCAST} (e.g. {@code 80:19:1}: 80 % to one user, 19 % to one group, 1 % to
 * everyone).
 *
 * @param user weight of notifications to one user
 * @param group weight of notifications to one group
 * @param broadcast weight of broadcasts
 */
public record TargetMix(int user, int group, int broadcast) {

    public TargetMix {
        if (user < 0 || group < 0 || broadcast < 0 || (long) user + group + broadcast == 0) {
            throw new IllegalArgumentException("mix weights must be non-negative and not all zero, got "
                    + user + ":" + group + ":" + broadcast);
        }
        if ((long) user + group + broadcast > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("mix weights too large");
        }
    }

    /** Reads {@code USER:GROUP:BROADCAST}, e.g. {@code 80:19:1}. */
    public static TargetMix parse(String text) {
        String[] parts = text.trim().split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("a mix is USER:GROUP:BROADCAST weights, e.g. 80:19:1; got " + text);
        }
        try {
            return new TargetMix(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                    Integer.parseInt(parts[2].trim()));
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("a mix is USER:GROUP:BROADCAST weights, e.g. 80:19:1; got " + text);
        }
    }

    /** Draws the kind of one notification. */
    Scenario draw(SplittableRandom random) {
        int r = random.nextInt(user + group + broadcast);
        if (r < user) {
            return Scenario.USER;
        }
        return r < user + group ? Scenario.GROUP : Scenario.BROADCAST;
    }

    @Override
    public String toString() {
        return user + ":" + group + ":" + broadcast;
    }
}
