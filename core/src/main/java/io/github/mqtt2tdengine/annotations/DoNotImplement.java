package io.github.mqtt2tdengine.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface that the library implements and host code only calls: a host must not implement it (test doubles
 * in the host's own tests aside), because methods may be added to it in any minor release. The model is HiveMQ MQTT
 * Client's annotation of the same name.
 *
 * @since 0.2.0
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface DoNotImplement {
}
