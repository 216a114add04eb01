/**
 * The library's exceptions, rooted at {@link io.github.mqtt2tdengine.errors.PipelineException}: the type says whether
 * to retry ({@link io.github.mqtt2tdengine.errors.RetriableSinkException}), and the reasons a message is
 * dead-lettered ({@link io.github.mqtt2tdengine.errors.DeadLetterReason}). A leaf package: every other package of the
 * API may use it, and it uses none of them.
 */
package io.github.mqtt2tdengine.errors;
