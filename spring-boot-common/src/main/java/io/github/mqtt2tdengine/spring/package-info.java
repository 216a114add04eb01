/**
 * Spring Boot integration shared by both starters ({@code mqtt2tdengine-spring-boot-starter} for Boot 3.5,
 * {@code mqtt2tdengine-spring-boot4-starter} for Boot 4): the customizer interfaces a host implements as beans and the
 * lifecycle that starts and drains the pipeline with the application context.
 */
package io.github.mqtt2tdengine.spring;
