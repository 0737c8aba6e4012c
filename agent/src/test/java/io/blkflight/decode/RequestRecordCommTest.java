package io.blkflight.decode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command name as two words (the compact format's shape key) comes back as the same name. */
class RequestRecordCommTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "dd", "writer-1", "writer-12", "kworker/u4:1-ev"})
    void commWordsRoundTrip(String comm) {
        RecordBuilder records = new RecordBuilder().begin().issuer(1, 2, comm, 0, 0).end();
        RequestRecord record = new RequestRecord().wrap(records.buffer(), Integer.BYTES);

        assertThat(record.comm()).isEqualTo(comm);
        assertThat(RequestRecord.comm(record.commWord(0), record.commWord(1))).isEqualTo(comm);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dd", "writer-1", "writer-12"})
    void bytesAfterTheNamesEndDoNotChangeTheWords(String comm) {
        RecordBuilder records = new RecordBuilder().begin().issuer(1, 2, comm, 0, 0).end();
        RequestRecord record = new RequestRecord().wrap(records.buffer(), Integer.BYTES);
        long word0 = record.commWord(0);
        long word1 = record.commWord(1);
        for (int i = comm.length() + 1; i < RequestRecord.COMM_LENGTH; i++) {
            records.buffer().put(Integer.BYTES + RequestRecord.COMM + i, (byte) 'x');
        }

        assertThat(record.commWord(0)).isEqualTo(word0);
        assertThat(record.commWord(1)).isEqualTo(word1);
        assertThat(record.comm()).isEqualTo(comm);
    }
}
