package io.github.mqtt2tdengine.mqtt.testing;

import io.github.mqtt2tdengine.spi.FakeSink;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The sequence numbers of {@link Publisher}'s messages, as a sink wrote them and as expected. */
public final class Seqs {
    private Seqs() {
    }

    /** The {@code seq} column of every row the sink wrote. */
    public static Set<Long> seqs(FakeSink sink) {
        return sink.rows().stream().map(r -> (Long) r.column("seq")).collect(Collectors.toCollection(TreeSet::new));
    }

    /** from..to-1. */
    public static Set<Long> range(int from, int to) {
        Set<Long> s = new TreeSet<>();
        for (long i = from; i < to; i++) {
            s.add(i);
        }
        return s;
    }
}
