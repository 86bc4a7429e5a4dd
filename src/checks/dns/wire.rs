//! One DNS question to one server, as the authoritative checks ask it: a query over UDP
//! (TCP when the answer comes back truncated), the answer matched to the question by id and
//! question section. No retries and no cache; the caller bounds the whole exchange.

use hickory_resolver::proto::op::{Edns, Message, Query};
use hickory_resolver::proto::rr::{Name, RecordType};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

/// The UDP payload size offered (EDNS): the size DNS flag day 2020 settled on.
const UDP_PAYLOAD: u16 = 1232;

/// Why a question brought no answer.
#[derive(Debug)]
pub(super) enum Failure {
    /// Nothing came back before the deadline.
    Timeout,
    /// The server could not be reached, or sent something that is not DNS.
    Failed(String),
}

/// Asks `server` for `name`/`record_type` and waits at most `timeout` for its answer;
/// `recursion` sets the RD bit (only a forwarder is asked with it).
pub(super) async fn exchange(
    server: SocketAddr,
    name: &Name,
    record_type: RecordType,
    recursion: bool,
    timeout: Duration,
) -> Result<Message, Failure> {
    let mut question = Message::query();
    question.add_query(Query::query(name.clone(), record_type));
    question.metadata.recursion_desired = recursion;
    let mut edns = Edns::new();
    edns.set_max_payload(UDP_PAYLOAD);
    question.set_edns(edns);
    let bytes = question
        .to_vec()
        .map_err(|err| Failure::Failed(format!("the question cannot be written: {err}")))?;
    let id = question.metadata.id;
    let asked = async {
        let answer = over_udp(server, &bytes, id, name, record_type).await?;
        if !answer.metadata.truncation {
            return Ok(answer);
        }
        over_tcp(server, &bytes, id, name, record_type).await
    };
    match tokio::time::timeout(timeout, asked).await {
        Ok(result) => result,
        Err(_) => Err(Failure::Timeout),
    }
}

fn failed(err: std::io::Error) -> Failure {
    Failure::Failed(err.to_string())
}

/// Whether `answer` answers the question with `id` for `name`/`record_type`.
fn answers(answer: &Message, id: u16, name: &Name, record_type: RecordType) -> bool {
    answer.metadata.id == id
        && answer.queries.len() == 1
        && answer.queries[0].query_type() == record_type
        && answer.queries[0].name().to_lowercase() == name.to_lowercase()
}

async fn over_udp(
    server: SocketAddr,
    bytes: &[u8],
    id: u16,
    name: &Name,
    record_type: RecordType,
) -> Result<Message, Failure> {
    let local: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(local).await.map_err(failed)?;
    socket.connect(server).await.map_err(failed)?;
    socket.send(bytes).await.map_err(failed)?;
    let mut buffer = vec![0u8; usize::from(UDP_PAYLOAD).max(4096)];
    loop {
        let length = socket.recv(&mut buffer).await.map_err(failed)?;
        // A stray or forged datagram is not the answer: wait on for the real one.
        if let Ok(answer) = Message::from_vec(&buffer[..length])
            && answers(&answer, id, name, record_type)
        {
            return Ok(answer);
        }
    }
}

async fn over_tcp(
    server: SocketAddr,
    bytes: &[u8],
    id: u16,
    name: &Name,
    record_type: RecordType,
) -> Result<Message, Failure> {
    let mut stream = TcpStream::connect(server).await.map_err(failed)?;
    let length = u16::try_from(bytes.len())
        .map_err(|_| Failure::Failed("the question is too long".to_owned()))?;
    let mut framed = length.to_be_bytes().to_vec();
    framed.extend_from_slice(bytes);
    stream.write_all(&framed).await.map_err(failed)?;
    let mut prefix = [0u8; 2];
    stream.read_exact(&mut prefix).await.map_err(failed)?;
    let mut buffer = vec![0u8; usize::from(u16::from_be_bytes(prefix))];
    stream.read_exact(&mut buffer).await.map_err(failed)?;
    let answer = Message::from_vec(&buffer)
        .map_err(|err| Failure::Failed(format!("the answer is not DNS: {err}")))?;
    if answers(&answer, id, name, record_type) {
        Ok(answer)
    } else {
        Err(Failure::Failed(
            "the answer is to another question".to_owned(),
        ))
    }
}
