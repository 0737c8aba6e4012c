package io.blkflight.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.MMapDirectory;

/**
 * A search engine (Lucene) doing what search services do: indexer threads add documents; segment files go to
 * the page cache and reach the disk through the kernel's writeback, or at a commit (fsync). Then, with the page
 * cache dropped, searcher threads query the index through memory-mapped files: their reads are page faults.
 * Arguments: the index directory, documents per indexer, [commit every N documents (0: once at the end)],
 * [seconds to wait after indexing before searching, for writeback to happen]. With -Dworkload.virtual=true (JDK 21+)
 * the indexers and searchers are virtual threads.
 */
public final class SearchIndexWorkload {
    private static final int INDEXERS = 2;
    private static final int SEARCHERS = 2;
    private static final String[] WORDS = {"block", "request", "kernel", "thread", "journal", "segment", "flush",
        "writeback", "page", "cache", "device", "queue", "latency", "storage", "engine", "index"};

    private SearchIndexWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        int documents = Integer.parseInt(args[1]);
        int commitEvery = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int waitSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Files.createDirectories(directory);
        long started = System.nanoTime();
        try (FSDirectory index = FSDirectory.open(directory);
             IndexWriter writer = new IndexWriter(index, new IndexWriterConfig(new StandardAnalyzer()).setRAMBufferSizeMB(8))) {
            List<Thread> indexers = new ArrayList<>();
            for (int i = 0; i < INDEXERS; i++) {
                int indexer = i;
                indexers.add(start("indexer-" + (i + 1), () -> {
                    SplittableRandom random = new SplittableRandom(indexer);
                    for (int d = 0; d < documents; d++) {
                        writer.addDocument(document(indexer * documents + d, random));
                        if (commitEvery > 0 && indexer == 0 && d > 0 && d % commitEvery == 0) {
                            writer.commit();
                        }
                    }
                }));
            }
            for (Thread indexer : indexers) {
                indexer.join();
            }
            writer.commit();
        }
        long indexed = System.nanoTime();
        Thread.sleep(waitSeconds * 1000L);
        boolean cold = StorageWorkload.dropPageCache();
        long[] hits = new long[SEARCHERS];
        try (MMapDirectory index = new MMapDirectory(directory); DirectoryReader reader = DirectoryReader.open(index)) {
            IndexSearcher searcher = new IndexSearcher(reader);
            List<Thread> searchers = new ArrayList<>();
            for (int i = 0; i < SEARCHERS; i++) {
                int id = i;
                searchers.add(start("searcher-" + (i + 1), () -> {
                    for (int q = 0; q < 200; q++) {
                        TopDocs top = searcher.search(new TermQuery(new Term("body", WORDS[(q + id) % WORDS.length])), 20);
                        for (var hit : top.scoreDocs) {
                            searcher.storedFields().document(hit.doc);
                        }
                        hits[id] += top.totalHits.value;
                    }
                }));
            }
            for (Thread s : searchers) {
                s.join();
            }
        }
        System.out.printf("indexed %d documents in %d ms (%d indexers%s); %s searches by %d threads matched %d documents%n",
                INDEXERS * documents, (indexed - started) / 1_000_000, INDEXERS,
                commitEvery > 0 ? ", commit every " + commitEvery : ", one commit", cold ? "cold" : "possibly cached",
                SEARCHERS, hits[0] + hits[1]);
    }

    private static Document document(long id, SplittableRandom random) {
        Document document = new Document();
        document.add(new StringField("id", Long.toString(id), Field.Store.YES));
        StringBuilder body = new StringBuilder();
        for (int w = 0; w < 60; w++) {
            body.append(WORDS[random.nextInt(WORDS.length)]).append(' ').append(random.nextInt(100_000)).append(' ');
        }
        document.add(new TextField("body", body.toString(), Field.Store.NO));
        document.add(new StoredField("payload", new byte[512 + random.nextInt(512)]));
        return document;
    }

    private interface Work {
        void run() throws Exception;
    }

    /** -Dworkload.virtual=true (JDK 21+): the indexers and searchers are virtual threads of those names. */
    private static final boolean VIRTUAL = Boolean.getBoolean("workload.virtual");

    private static Thread start(String name, Work work) {
        Runnable task = () -> {
            try {
                work.run();
            } catch (Exception e) {
                throw new IllegalStateException(name + " failed", e);
            }
        };
        Thread thread = VIRTUAL ? io.blkflight.report.VirtualThreadsWorkload.virtual(name, task) : new Thread(task, name);
        thread.start();
        return thread;
    }
}
