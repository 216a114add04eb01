/**
 * The expression language of filters and computed fields, reached through
 * {@code PayloadSpec.Builder.filterExpression(String)} and {@code Field.Builder.expression(String)}. A leaf: it uses
 * the JDK and the root package's {@code PayloadException} alone, so the {@code payload} package may use it without a
 * cycle. Not API; may change in any release.
 */
package io.github.mqtt2tdengine.internal.expression;
