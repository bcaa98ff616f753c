/**
 * Offline PII detection for policies (BEHAVIOUR.md §3.8, §7): which entities a text contains, where.
 *
 * <ul>
 *   <li>{@link io.bricksllm.policy.detect.PiiEntity}: every entity name a policy rule may use, each either
 *       {@code LOCAL} (a detector here finds it) or {@code LANGUAGE_BACKEND} (only a language model such as
 *       AWS Comprehend can: name, address, age, …); {@code all} stands for every local entity.</li>
 *   <li>{@link io.bricksllm.policy.detect.PiiScanner}: built once per policy from the entities of its rules;
 *       {@code scan(text)} returns {@link io.bricksllm.policy.detect.Finding}s (entity and offsets, never the
 *       value); {@code unavailable()} lists the requested entities it cannot find, for the caller to report or
 *       send to the backend instead of silently ignoring them.</li>
 *   <li>{@link io.bricksllm.policy.detect.Redactor}: masks the spans of findings with {@code ***}.</li>
 * </ul>
 *
 * <p>Every detector pairs a format with a validator so that random digit runs, ids and versions are not
 * reported: check digits (Luhn, Verhoeff, IBAN mod 97, ABA, NHS and UTR mod 11, VIN), issuing rules (SSN,
 * ITIN, SIN, NINO, PAN, card issuer ranges and lengths), the phone numbering plans of libphonenumber, or a
 * label next to the value where the format alone proves nothing (password, PIN, user name, CVV, expiry, AWS
 * secret key, and bare digit runs for routing, NHS, UTR, SSN, ITIN, SIN and Aadhaar numbers).
 *
 * <p>Cost: one pass over the text builds the shared view ({@code ScanText}); detectors then look only at
 * number starts, word starts or label hits, and the phone library only at digit clusters that could hold a
 * number. All work is linear in the text. {@code ScanBenchmark} (test scope) measures a 4 KB prompt.
 */
package io.bricksllm.policy.detect;
