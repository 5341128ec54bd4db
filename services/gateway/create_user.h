/*
 * create_user.h - `stom-gateway create-user` (see create_user.c).
 */
#ifndef STOM_GW_CREATE_USER_H
#define STOM_GW_CREATE_USER_H

/* Runs the subcommand on argv (argv[0] is "create-user"); returns the exit code. */
int gw_create_user_main(int argc, char **argv);

#endif
