package io.bricksllm.limits;

/**
 * What an admitted request holds at every level until it ends: its request slots, token and cost reservations and
 * concurrency leases. {@code leaseId} is unique per admission (concurrency leases and reservation holds are named by
 * it); {@code counted} is false when the store was not asked (its failure policy admitted), and then settling only
 * records what can be recorded.
 */
public record Ticket(AdmissionRequest request, String leaseId, boolean counted) {}
