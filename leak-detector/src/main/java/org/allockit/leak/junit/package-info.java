/**
 * JUnit 5 support: {@link org.allockit.leak.junit.LeakCheck} gives tests tracked allocators and fails
 * those that leak (beyond an allowance), make a memory error or lose a handle, with the report in
 * the failure message; {@link org.allockit.leak.junit.LeakCheckExtension} is the extension behind it.
 */
package org.allockit.leak.junit;
