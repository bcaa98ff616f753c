package io.bricksllm.policy.detect;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/**
 * Cost of scanning a realistic 4 KB prompt with every local detector (the budget: 0.5 ms).
 * Not a test: run it by hand, e.g.
 * {@code java -cp target/classes:target/test-classes:<libphonenumber.jar> io.bricksllm.policy.detect.ScanBenchmark}.
 * Warms up for a few seconds, then times single scans with System.nanoTime and reports the mean and
 * the 99th percentile, then the share of each detector.
 */
public final class ScanBenchmark {

    private static final String[] PARAGRAPHS = {
        "You are a helpful customer support assistant for Acme Travel. Summarise the conversation below, list the "
            + "open questions, and draft a polite reply. Keep the reply under 200 words and do not promise refunds "
            + "that policy section 4.2 does not allow. Use a friendly but professional tone throughout the message.",
        "Customer: Hi, I booked a flight to Lisbon for the conference on 12 March 2025 and I need to change the return "
            + "leg. My booking reference is QX7R2P and I paid with my card 4111 1111 1111 1111. The total was $1,284.50 "
            + "including 3 checked bags. Could you move the return to the Sunday evening flight if there is space?",
        "Agent: Thanks for reaching out! I can see the booking. The Sunday flight departs at 18:45 and arrives at 22:10 "
            + "local time. There is a fare difference of about 85 euros plus the change fee described in our terms at "
            + "https://www.example-travel.com/terms/changes?lang=en which I will waive this once as a courtesy.",
        "Customer: That sounds good. Please send the updated itinerary to jane.doe@example.com and, if anything goes "
            + "wrong, call me on +1 (415) 555-2671. I will be in meetings most of the afternoon, so a text message is "
            + "better than a call. Also, can you add my loyalty number to the booking so that I get the miles?",
        "Agent: Of course. I have added the loyalty number and the miles will post within 5 to 7 business days after "
            + "travel. The new e-ticket will be issued once the payment for the fare difference is confirmed by the "
            + "bank, which usually takes a few minutes but can take up to 24 hours on weekends and public holidays.",
        "Customer: Great. One more thing: last time the hotel shuttle did not show up and I waited for almost an hour "
            + "outside terminal 1. I would like to make sure that does not happen again. Is there a number I can call "
            + "on arrival, or should I book a taxi instead? I am happy to pay for a taxi if that is more reliable.",
        "Agent: I am sorry about the shuttle. I have noted it on your profile and escalated the complaint to our "
            + "partner team. For this trip I recommend booking a taxi at the official rank; keep the receipt and we "
            + "will reimburse up to 40 euros. Our server logged the request from 203.0.113.42 for our audit records.",
        "Please produce: (1) a three-sentence summary, (2) a bullet list of open questions, (3) the draft reply. Do "
            + "not include any internal notes, do not mention the audit log, and do not repeat payment details in the "
            + "reply. If something is unclear, say so explicitly rather than guessing what the customer meant there.",
        "Background for the model: Acme Travel operates in 14 countries, has around 2,300 employees and serves about "
            + "1.8 million customers per year. Version 3.4.1 of the support guidelines applies. The guidelines were "
            + "last reviewed in Q4 and will be reviewed again next year; older versions such as 2.9.7 are obsolete.",
    };

    public static void main(String[] args) {
        String prompt = prompt(4096);
        PiiScanner all = PiiScanner.all();
        List<Finding> found = all.scan(prompt);
        System.out.printf("prompt: %d chars, %d findings:%n", prompt.length(), found.size());
        for (Finding f : found) System.out.printf("  %-22s %s%n", f.entity().wireName(), prompt.substring(f.start(), f.end()));

        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long warmUntil = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmUntil) sink += all.scan(prompt).size();

        int iterations = 40_000;
        long[] wall = new long[iterations];
        long[] onCpu = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            sink += all.scan(prompt).size();
            wall[i] = System.nanoTime() - t0;
            onCpu[i] = cpu.getCurrentThreadCpuTime() - c0;
        }
        report("wall", wall);
        report("CPU ", onCpu);

        System.out.println("per detector, on a prepared text (mean µs CPU):");
        int n = 5_000;
        for (PiiEntity e : PiiEntity.localEntities()) {
            LocalDetector d = (LocalDetector) PiiScanner.detector(e).orElseThrow();
            ScanText text = new ScanText(prompt);
            text.lower();
            List<Finding> out = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                out.clear();
                d.find(text, out);
            }
            long c0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                out.clear();
                d.find(text, out);
                sink += out.size();
            }
            System.out.printf("  %-40s %6.1f%n", e.wireName(), (cpu.getCurrentThreadCpuTime() - c0) / 1000.0 / n);
        }
        long c0 = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) sink += new ScanText(prompt).numberCount();
        System.out.printf("  %-40s %6.1f%n", "(text analysis)", (cpu.getCurrentThreadCpuTime() - c0) / 1000.0 / n);
        c0 = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) sink += new ScanText(prompt).lower().length();
        System.out.printf("  %-40s %6.1f%n", "(text analysis + lower-casing)", (cpu.getCurrentThreadCpuTime() - c0) / 1000.0 / n);
        PiiScanner none = new PiiScanner(EnumSet.noneOf(PiiEntity.class));
        long t0 = System.nanoTime();
        for (int i = 0; i < 1_000_000; i++) sink += none.scan(prompt).size();
        System.out.printf("  %-40s %6.3f%n", "(scanner with no entities, wall)", (System.nanoTime() - t0) / 1000.0 / 1_000_000);
        if (sink == 42) System.out.println();
    }

    private static void report(String clock, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0) / 1000.0;
        int n = sorted.length;
        System.out.printf("all local detectors, 4 KB, %s time: mean %.1f µs, p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs (%d scans)%n",
                clock, mean, sorted[n / 2] / 1000.0, sorted[n * 99 / 100] / 1000.0, sorted[n * 999 / 1000] / 1000.0, n);
    }

    /** Paragraphs repeated and cut to about {@code size} characters, ending at a sentence. */
    static String prompt(int size) {
        StringBuilder sb = new StringBuilder(size + 512);
        for (int i = 0; sb.length() < size; i++) sb.append(PARAGRAPHS[i % PARAGRAPHS.length]).append("\n\n");
        int cut = sb.lastIndexOf(". ", size);
        return sb.substring(0, cut + 1);
    }
}
