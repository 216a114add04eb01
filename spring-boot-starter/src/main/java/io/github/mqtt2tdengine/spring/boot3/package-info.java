/**
 * The Spring Boot 3.5 starter: {@link io.github.mqtt2tdengine.spring.boot3.Mqtt2TdengineAutoConfiguration} and the
 * health indicator on Boot 3's health API. The customizer interfaces a host implements are in
 * {@code io.github.mqtt2tdengine.spring}, shared with the Boot 4 starter.
 */
package io.github.mqtt2tdengine.spring.boot3;
