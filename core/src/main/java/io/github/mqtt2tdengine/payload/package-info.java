/**
 * How messages become rows: {@link io.github.mqtt2tdengine.payload.PayloadSpec}, fields, column types, timestamp
 * units and policies.
 *
 * <h2>Expressions</h2>
 * Row filters ({@link io.github.mqtt2tdengine.payload.PayloadSpec.Builder#filterExpression(String)}) and computed
 * fields ({@link io.github.mqtt2tdengine.payload.Field.Builder#expression(String)}) take a small, safe expression
 * language: it reads the row's named values and computes, nothing else (no function calls, no assignment, no loops).
 * Text that is not an expression is an {@code IllegalArgumentException} naming the position. Grammar:
 *
 * <pre>
 * expr    = or
 * or      = and ( "||" and )*
 * and     = not ( "&amp;&amp;" not )*
 * not     = "!" not | cmp
 * cmp     = sum ( ( "==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" ) sum )?
 * sum     = product ( ( "+" | "-" ) product )*
 * product = unary ( ( "*" | "/" | "%" ) unary )*
 * unary   = "-" unary | atom
 * atom    = number | 'text' | "text" | true | false | null | name | `quoted name` | "(" expr ")"
 * </pre>
 *
 * <p>Whole numbers are exact 64-bit integers ({@code + - * %} overflow is an error); anything with a decimal point or
 * exponent, and every {@code /}, is a double; division by zero is an error. {@code +} with text concatenates.
 * Comparisons take two numbers, two texts or two booleans; {@code ==} and {@code !=} also take {@code null}. A NULL
 * value makes arithmetic and ordering comparisons NULL, and a NULL condition is false. A failure at run time
 * dead-letters the message with reason {@code EXPRESSION_FAILED}, naming the expression and the values.
 */
package io.github.mqtt2tdengine.payload;
