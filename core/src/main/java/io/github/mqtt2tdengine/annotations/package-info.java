/**
 * Annotations that state a contract of the API, such as {@link io.github.mqtt2tdengine.annotations.DoNotImplement}.
 * A leaf package: it depends on no other package of the library.
 */
package io.github.mqtt2tdengine.annotations;
