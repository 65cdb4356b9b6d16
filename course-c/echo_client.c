/*
 * echo_client: the course's echo client (seed 001, lines 2095-2160), which talks to every
 * server of the course: ./echo_client IP PORT, then type lines; "Q" or "q" quits.
 *
 * Adapted only where the listing cannot work as a program a test feeds on standard input:
 *  - at the end of standard input (fgets() returns NULL) it stops, as on "Q": the listing
 *    would send the last line again for ever;
 *  - it reads until the whole line has come back: TCP keeps no message boundaries, and one
 *    read() may return part of the echo (the listing's single read works for short lines only);
 *  - the reply buffer keeps room for the '\0' the listing adds after what it read.
 * Everything else is the listing's: the same calls in the same order, the same prompts.
 */
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>


#define BUF_SIZE 1024

void error_handling(char* message);

int main(int argc, char** argv)
{
        int sock;
        char message[BUF_SIZE];
        int str_len, recv_len, recv_cnt;
        struct sockaddr_in serv_adr;

        if (argc != 3)
        {
                printf("Usage : %s <IP> <port> \n", argv[0]);
                exit(1);
        }

        sock = socket(PF_INET, SOCK_STREAM, 0);
        if (sock == -1) error_handling("socket() failed");

        memset(&serv_adr, 0, sizeof(serv_adr));
        serv_adr.sin_family = AF_INET;
        serv_adr.sin_addr.s_addr = inet_addr(argv[1]);
        serv_adr.sin_port = htons(atoi(argv[2]));

        if (connect(sock, (struct sockaddr*)&serv_adr, sizeof(serv_adr)) == -1) error_handling("connect() failed");
        else puts("connected...");

        while (1)
        {
                fputs("Input message (Q to quit):  ", stdout);
                fflush(stdout);
                if (fgets(message, BUF_SIZE, stdin) == NULL) break;     /* adapted: end of input */

                if (!strcmp(message, "q\n") || !strcmp(message, "Q\n")) break;

                str_len = write(sock, message, strlen(message));   /* 입력한 메시지를 서버에 전송 */
                recv_len = 0;                                       /* adapted: read the whole echo */
                while (recv_len < str_len)
                {
                        recv_cnt = read(sock, &message[recv_len], BUF_SIZE - 1 - recv_len);
                        if (recv_cnt <= 0) error_handling("read() error: the server closed the connection");
                        recv_len += recv_cnt;
                }
                message[recv_len] = '\0';
                printf("Message from server : %s ", message);

        }
        close(sock);
        return 0;

}

void error_handling(char *message)
{
        fputs(message, stderr);
        fputc('\n', stderr);
        exit(1);

}
