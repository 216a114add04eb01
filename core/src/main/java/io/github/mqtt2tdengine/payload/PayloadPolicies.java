package io.github.mqtt2tdengine.payload;

import java.util.Objects;
import java.util.function.Function;

/**
 * What the mapping does with input that does not fit as it is: colliding receive-time keys, forbidden characters in
 * sub-table names, strings longer than their column, NaN and infinite numbers, and tag values that differ from those
 * a sub-table already has. Set on a spec with {@code PayloadSpec.json().policies()...applyPolicies()} (a nested
 * builder, as the HiveMQ client's {@code restrictions()}) or {@link PayloadSpec.Builder#policies(PayloadPolicies)}.
 * Immutable.
 *
 * @since 0.1.0
 */
public final class PayloadPolicies {
    /** Replacement for forbidden characters in sub-table names when none is set: {@value}. */
    public static final char DEFAULT_NAME_REPLACEMENT = '_';
    /**
     * Tag change policy when none is set: {@link TagChangePolicy#UPDATE} (its cost when no tag changes is within the
     * benchmark's noise; see docs/performance.md).
     */
    public static final TagChangePolicy DEFAULT_TAG_CHANGE = TagChangePolicy.UPDATE;
    /** The defaults: SHIFT, REPLACE with {@value #DEFAULT_NAME_REPLACEMENT}, REJECT, REJECT, UPDATE. */
    public static final PayloadPolicies DEFAULTS = builder().build();

    private final TimestampCollisionPolicy timestampCollision;
    private final TableNamePolicy tableName;
    private final char nameReplacement;
    private final StringOverflowPolicy stringOverflow;
    private final NonFiniteNumberPolicy nonFiniteNumber;
    private final TagChangePolicy tagChange;

    private PayloadPolicies(Base<?> b) {
        this.timestampCollision = b.timestampCollision;
        this.tableName = b.tableName;
        this.nameReplacement = b.nameReplacement;
        this.stringOverflow = b.stringOverflow;
        this.nonFiniteNumber = b.nonFiniteNumber;
        this.tagChange = b.tagChange;
    }

    /**
     * Starts policies from the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding these policies.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /**
     * Returns what happens when receive-time primary keys of a sub-table collide.
     *
     * @return the policy
     */
    public TimestampCollisionPolicy timestampCollision() {
        return timestampCollision;
    }

    /**
     * Returns what happens to forbidden characters in generated sub-table names.
     *
     * @return the policy
     */
    public TableNamePolicy tableName() {
        return tableName;
    }

    /**
     * Returns the replacement for forbidden characters under {@link TableNamePolicy#REPLACE}.
     *
     * @return the character
     */
    public char nameReplacement() {
        return nameReplacement;
    }

    /**
     * Returns what happens to strings longer than their column.
     *
     * @return the policy
     */
    public StringOverflowPolicy stringOverflow() {
        return stringOverflow;
    }

    /**
     * Returns what happens to NaN and infinite numbers.
     *
     * @return the policy
     */
    public NonFiniteNumberPolicy nonFiniteNumber() {
        return nonFiniteNumber;
    }

    /**
     * Returns what happens when a message brings other tag values than its sub-table has.
     *
     * @return the policy
     */
    public TagChangePolicy tagChange() {
        return tagChange;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PayloadPolicies p && timestampCollision == p.timestampCollision && tableName == p.tableName
                && nameReplacement == p.nameReplacement && stringOverflow == p.stringOverflow
                && nonFiniteNumber == p.nonFiniteNumber && tagChange == p.tagChange;
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestampCollision, tableName, nameReplacement, stringOverflow, nonFiniteNumber, tagChange);
    }

    @Override
    public String toString() {
        return "PayloadPolicies{timestampCollision=" + timestampCollision + ", tableName=" + tableName
                + (tableName == TableNamePolicy.REPLACE ? " '" + nameReplacement + "'" : "") + ", stringOverflow="
                + stringOverflow + ", nonFiniteNumber=" + nonFiniteNumber + ", tagChange=" + tagChange + '}';
    }

    /**
     * The setters both builders share.
     *
     * @param <B> the builder type, returned by each setter
     */
    public abstract static class Base<B extends Base<B>> {
        private TimestampCollisionPolicy timestampCollision = TimestampCollisionPolicy.SHIFT;
        private TableNamePolicy tableName = TableNamePolicy.REPLACE;
        private char nameReplacement = DEFAULT_NAME_REPLACEMENT;
        private StringOverflowPolicy stringOverflow = StringOverflowPolicy.REJECT;
        private NonFiniteNumberPolicy nonFiniteNumber = NonFiniteNumberPolicy.REJECT;
        private TagChangePolicy tagChange = DEFAULT_TAG_CHANGE;

        Base() {
        }

        abstract B self();

        final B from(PayloadPolicies p) {
            timestampCollision = p.timestampCollision;
            tableName = p.tableName;
            nameReplacement = p.nameReplacement;
            stringOverflow = p.stringOverflow;
            nonFiniteNumber = p.nonFiniteNumber;
            tagChange = p.tagChange;
            return self();
        }

        /**
         * Sets what happens when receive-time primary keys of a sub-table collide; default
         * {@link TimestampCollisionPolicy#SHIFT}.
         *
         * @param policy the policy
         * @return this builder
         */
        public B timestampCollision(TimestampCollisionPolicy policy) {
            this.timestampCollision = Objects.requireNonNull(policy, "timestampCollision must not be null");
            return self();
        }

        /**
         * Sets what happens to forbidden characters in generated sub-table names; default
         * {@link TableNamePolicy#REPLACE} with {@value #DEFAULT_NAME_REPLACEMENT}.
         *
         * @param policy the policy
         * @return this builder
         */
        public B tableName(TableNamePolicy policy) {
            this.tableName = Objects.requireNonNull(policy, "tableName must not be null");
            return self();
        }

        /**
         * Sets the replacement for forbidden characters under {@link TableNamePolicy#REPLACE}; default
         * {@value #DEFAULT_NAME_REPLACEMENT}.
         *
         * @param replacement an allowed character
         * @return this builder
         * @throws IllegalArgumentException if the replacement is itself forbidden
         */
        public B nameReplacement(char replacement) {
            if (Identifiers.isForbidden(replacement)) {
                throw new IllegalArgumentException("name replacement must be an allowed character, but was "
                        + Identifiers.describe(replacement));
            }
            this.nameReplacement = replacement;
            return self();
        }

        /**
         * Sets what happens to strings longer than their column; default {@link StringOverflowPolicy#REJECT}.
         *
         * @param policy the policy
         * @return this builder
         */
        public B stringOverflow(StringOverflowPolicy policy) {
            this.stringOverflow = Objects.requireNonNull(policy, "stringOverflow must not be null");
            return self();
        }

        /**
         * Sets what happens to NaN and infinite numbers; default {@link NonFiniteNumberPolicy#REJECT}.
         *
         * @param policy the policy
         * @return this builder
         */
        public B nonFiniteNumber(NonFiniteNumberPolicy policy) {
            this.nonFiniteNumber = Objects.requireNonNull(policy, "nonFiniteNumber must not be null");
            return self();
        }

        /**
         * Sets what happens when a message brings other tag values than its sub-table already has; default
         * {@link #DEFAULT_TAG_CHANGE}. TDengine itself keeps a sub-table's first tags and silently ignores new ones
         * ({@link TagChangePolicy#IGNORE}); {@link TagChangePolicy#UPDATE} makes the TDengine sink run
         * {@code ALTER TABLE ... SET TAG} before the rows (a tag comparison per sub-table and batch when nothing
         * changes; see the figures in docs/performance.md).
         *
         * @param policy the policy
         * @return this builder
         */
        public B tagChange(TagChangePolicy policy) {
            this.tagChange = Objects.requireNonNull(policy, "tagChange must not be null");
            return self();
        }

        final PayloadPolicies buildPolicies() {
            return new PayloadPolicies(this);
        }
    }

    /** Builds {@link PayloadPolicies}; mutable, not thread-safe, reusable. */
    public static final class Builder extends Base<Builder> {
        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Builds the policies.
         *
         * @return the policies
         */
        public PayloadPolicies build() {
            return buildPolicies();
        }
    }

    /**
     * The policies of an enclosing builder, set in line and applied with {@link #applyPolicies()}.
     *
     * @param <P> the enclosing builder
     */
    public static final class Nested<P> extends Base<Nested<P>> {
        private final Function<PayloadPolicies, P> apply;

        Nested(PayloadPolicies current, Function<PayloadPolicies, P> apply) {
            this.apply = apply;
            from(current);
        }

        @Override
        Nested<P> self() {
            return this;
        }

        /**
         * Sets these policies on the enclosing builder.
         *
         * @return the enclosing builder
         */
        public P applyPolicies() {
            return apply.apply(buildPolicies());
        }
    }
}
