/**
 * The Spring Boot 4 starter: {@link io.github.mqtt2tdengine.spring.boot4.Mqtt2TdengineAutoConfiguration} and the
 * health indicator on Boot 4's health API ({@code spring-boot-health}). The customizer interfaces a host implements
 * are in {@code io.github.mqtt2tdengine.spring}, shared with the Boot 3.5 starter.
 */
package io.github.mqtt2tdengine.spring.boot4;
