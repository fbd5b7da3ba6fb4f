/**
 * The domain of the escrow ledger: values ({@code money}, {@code ids}), the supervision policy, the
 * {@code Institution} and {@code EscrowAccount} aggregates with their commands and events, and the
 * explicit rejection reasons ({@code rules}). No Spring, no SQL, no HTTP: everything here is tested
 * with Axon's {@code AggregateTestFixture}. Depends on nothing of this project; everything else
 * depends on it.
 */
package cn.prepaid.ledger.core;
